/*
 * monitor_ris.c - RIS Live messages (https://ris-live.ripe.net/manual/)
 * into the monitor: one JSON object, either the websocket envelope
 * {"type": "ris_message", "data": {...}} or the data object itself.
 *
 *   UPDATE: "peer" (address), "peer_asn" (string or number), "timestamp"
 *     (seconds, fractional), "path" (ASNs; a nested array is an AS_SET),
 *     "announcements": [{"next_hop", "prefixes": [...]}],
 *     "withdrawals": [...];
 *   RIS_PEER_STATE with "state": "down": the peer's routes are gone.
 * Other types (OPEN, KEEPALIVE, NOTIFICATION, ris_error ...) are
 * ignored.  Limits: MANRS_MONITOR_RIS_MAX bytes per message, 1024 ASNs
 * per path, 255 per AS_SET, 65536 prefixes per message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <manrs/bgp.h>

#include "monitor_int.h"

#define RIS_PATH_MAX	1024u
#define RIS_PFX_MAX	65536u

static int
asn_of(const json_t *v, uint32_t *asn)
{
	const char *e = NULL;
	long long x;

	if (json_is_integer(v)) {
		x = json_integer_value(v);
		if (x < 0 || x > (long long)UINT32_MAX)
			return MANRS_E_RANGE;
		*asn = (uint32_t)x;
		return 0;
	}
	if (json_is_string(v)) {
		x = strtonum(json_string_value(v), 0, UINT32_MAX, &e);
		if (e != NULL)
			return MANRS_E_SYNTAX;
		*asn = (uint32_t)x;
		return 0;
	}
	return MANRS_E_FORMAT;
}

/* "path" as four-octet wire segments into out (cap bytes). */
static int
path_wire(json_t *path, uint8_t *out, size_t cap, size_t *len)
{
	size_t i, j, n = 0, seq_at = 0, nasn = 0;
	json_t *v, *w;
	bool in_seq = false;
	uint32_t asn;
	int rc;

	*len = 0;
	if (!json_is_array(path))
		return MANRS_E_FORMAT;
	json_array_foreach(path, i, v) {
		if (++nasn > RIS_PATH_MAX)
			return MANRS_E_LIMIT;
		if (json_is_array(v)) {
			size_t k = json_array_size(v);

			if (k == 0 || k > 255 || n + 2 + 4 * k > cap)
				return MANRS_E_LIMIT;
			in_seq = false;
			out[n++] = MANRS_BGP_AS_SET;
			out[n++] = (uint8_t)k;
			json_array_foreach(v, j, w) {
				if ((rc = asn_of(w, &asn)) != 0)
					return rc;
				out[n++] = (uint8_t)(asn >> 24);
				out[n++] = (uint8_t)(asn >> 16);
				out[n++] = (uint8_t)(asn >> 8);
				out[n++] = (uint8_t)asn;
			}
			continue;
		}
		if ((rc = asn_of(v, &asn)) != 0)
			return rc;
		if (!in_seq || out[seq_at + 1] == 255) {
			if (n + 2 > cap)
				return MANRS_E_LIMIT;
			seq_at = n;
			out[n++] = MANRS_BGP_AS_SEQUENCE;
			out[n++] = 0;
			in_seq = true;
		}
		if (n + 4 > cap)
			return MANRS_E_LIMIT;
		out[seq_at + 1]++;
		out[n++] = (uint8_t)(asn >> 24);
		out[n++] = (uint8_t)(asn >> 16);
		out[n++] = (uint8_t)(asn >> 8);
		out[n++] = (uint8_t)asn;
	}
	*len = n;
	return 0;
}

static int
feed_prefixes(struct manrs_monitor *m, struct manrs_monitor_route *r,
    json_t *list, size_t *count)
{
	json_t *v;
	size_t i;
	int rc, ret = 0;

	if (!json_is_array(list))
		return MANRS_E_FORMAT;
	json_array_foreach(list, i, v) {
		if (++*count > RIS_PFX_MAX)
			return MANRS_E_LIMIT;
		if (!json_is_string(v) ||
		    manrs_prefix_parse(manrs_view_cstr(json_string_value(v)),
		    MANRS_PREFIX_NORMALIZE, &r->prefix) != 0) {
			ret = MANRS_E_SYNTAX;
			continue;
		}
		rc = manrs_monitor_route(m, r);
		if (rc != 0 && rc != MANRS_E_FORMAT)
			return rc;
	}
	return ret;
}

int
manrs_monitor_ris_message(struct manrs_monitor *m, const char *json,
    size_t len)
{
	struct manrs_monitor_route r;
	struct manrs_prefix pa;
	json_t *d, *t, *v, *a;
	json_error_t je;
	json_t *root;
	size_t i, count = 0;
	const char *type;
	double ts;
	uint8_t *buf = mon_aspath_buf(m);
	int rc = 0, rc2;

	if (len > MANRS_MONITOR_RIS_MAX)
		return MANRS_E_LIMIT;
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL)
		return MANRS_E_SYNTAX;
	d = root;
	t = json_object_get(root, "type");
	if (json_is_string(t) &&
	    strcmp(json_string_value(t), "ris_message") == 0)
		d = json_object_get(root, "data");
	if (!json_is_object(d)) {
		rc = MANRS_E_FORMAT;
		goto out;
	}
	t = json_object_get(d, "type");
	type = json_is_string(t) ? json_string_value(t) : "";
	memset(&r, 0, sizeof(r));
	v = json_object_get(d, "peer");
	if (!json_is_string(v) || manrs_addr_parse(manrs_view_cstr(
	    json_string_value(v)), 0, &pa) != 0 ||
	    asn_of(json_object_get(d, "peer_asn"), &r.peer_as) != 0) {
		rc = strcmp(type, "UPDATE") == 0 ||
		    strcmp(type, "RIS_PEER_STATE") == 0 ? MANRS_E_FORMAT : 0;
		goto out;
	}
	r.peer_af = pa.af;
	memcpy(r.peer_addr, pa.addr, 16);
	v = json_object_get(d, "timestamp");
	ts = json_is_number(v) ? json_number_value(v) : 0;
	r.time = ts > 0 && ts < 1e12 ? (uint64_t)ts : 0;
	if (strcmp(type, "RIS_PEER_STATE") == 0) {
		v = json_object_get(d, "state");
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), "down") == 0)
			rc = manrs_monitor_peer_down(m, r.peer_as, r.peer_af,
			    r.peer_addr, r.time);
		goto out;
	}
	if (strcmp(type, "UPDATE") != 0)
		goto out;
	if ((v = json_object_get(d, "withdrawals")) != NULL) {
		r.withdraw = true;
		if ((rc2 = feed_prefixes(m, &r, v, &count)) != 0) {
			rc = rc2;
			if (rc2 != MANRS_E_SYNTAX)
				goto out;
		}
	}
	a = json_object_get(d, "announcements");
	if (a == NULL)
		goto out;
	if (!json_is_array(a)) {
		rc = MANRS_E_FORMAT;
		goto out;
	}
	r.withdraw = false;
	if ((rc2 = path_wire(json_object_get(d, "path"), buf,
	    MANRS_BGP_ASPATH4_MAX, &r.aspath_len)) != 0) {
		/* RFC 7606 in spirit: a path we cannot read withdraws */
		r.withdraw = true;
		rc = rc2;
	}
	r.aspath = buf;
	json_array_foreach(a, i, v) {
		if ((rc2 = feed_prefixes(m, &r, json_object_get(v, "prefixes"),
		    &count)) != 0) {
			if (rc == 0)
				rc = rc2;
			if (rc2 == MANRS_E_NOMEM || rc2 == MANRS_E_LIMIT)
				goto out;
		}
	}
out:
	json_decref(root);
	return rc;
}

int
manrs_monitor_ris_subscribe(const struct manrs_monitor_config *c, size_t i,
    char *buf, size_t cap)
{
	char pfx[MANRS_PREFIX_STRLEN];
	const struct mon_rule *r;
	int n;

	if (buf == NULL || cap == 0)
		return MANRS_E_INVAL;
	buf[0] = '\0';
	if (i == 0)
		n = snprintf(buf, cap, "{\"type\":\"ris_subscribe\",\"data\":"
		    "{\"type\":\"RIS_PEER_STATE\"}}");
	else if (i - 1 < c->nrules) {
		r = &c->rules[i - 1];
		if (r->ignore)
			return 0;
		manrs_prefix_print(&r->prefix, pfx, sizeof(pfx));
		n = snprintf(buf, cap, "{\"type\":\"ris_subscribe\",\"data\":"
		    "{\"type\":\"UPDATE\",\"prefix\":\"%s\","
		    "\"moreSpecific\":true,\"lessSpecific\":true,"
		    "\"socketOptions\":{\"includeRaw\":false}}}", pfx);
	} else if (i - 1 - c->nrules < c->nasns) {
		/* "path": comma-separated ASNs, unanchored = anywhere */
		n = snprintf(buf, cap, "{\"type\":\"ris_subscribe\",\"data\":"
		    "{\"type\":\"UPDATE\",\"path\":\"%u\","
		    "\"socketOptions\":{\"includeRaw\":false}}}",
		    c->asn_list[i - 1 - c->nrules]);
	} else
		return MANRS_E_NOTFOUND;
	if (n < 0 || (size_t)n >= cap) {
		buf[0] = '\0';
		return MANRS_E_LIMIT;
	}
	return n;
}
