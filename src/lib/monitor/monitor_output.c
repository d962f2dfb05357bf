/*
 * monitor_output.c - an alert as one JSON object or one text line.
 *
 * JSON fields: type, resolved, repeat, prefix, origin, asn, rule,
 * expected, peers, peers_max, first_seen, last_seen, time (RFC 3339
 * UTC), description, group, evidence.  Strings go through the library's
 * one JSON escaper.
 */
#include <string.h>
#include <time.h>

#include <manrs/monitor.h>

static void
put_time(struct manrs_buf *b, uint64_t t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strlcpy(buf, "1970-01-01T00:00:00Z", sizeof(buf));
	manrs_buf_put_json_str(b, buf, strlen(buf));
}

static void
put_prefix(struct manrs_buf *b, const struct manrs_prefix *p)
{
	char buf[MANRS_PREFIX_STRLEN];
	size_t n = manrs_prefix_print(p, buf, sizeof(buf));

	manrs_buf_put_json_str(b, buf, n);
}

int
manrs_monitor_alert_json(const struct manrs_monitor_alert *a,
    struct manrs_buf *out)
{
	const char *t = manrs_monitor_type_name(a->type);
	size_t i;

	manrs_buf_puts(out, "{\"type\":");
	manrs_buf_put_json_str(out, t, strlen(t));
	manrs_buf_printf(out, ",\"resolved\":%s,\"repeat\":%s,\"prefix\":",
	    a->resolved ? "true" : "false", a->repeat ? "true" : "false");
	put_prefix(out, &a->prefix);
	manrs_buf_printf(out, ",\"origin\":%u,\"asn\":%u,\"rule\":", a->origin,
	    a->asn);
	if (a->has_rule)
		put_prefix(out, &a->rule);
	else
		manrs_buf_puts(out, "null");
	manrs_buf_puts(out, ",\"expected\":[");
	for (i = 0; i < a->nexpected; i++)
		manrs_buf_printf(out, "%s%u", i ? "," : "", a->expected[i]);
	manrs_buf_printf(out, "],\"peers\":%u,\"peers_max\":%u,"
	    "\"first_seen\":", a->peers, a->peers_max);
	put_time(out, a->first_seen);
	manrs_buf_puts(out, ",\"last_seen\":");
	put_time(out, a->last_seen);
	manrs_buf_puts(out, ",\"time\":");
	put_time(out, a->time);
	manrs_buf_puts(out, ",\"description\":");
	manrs_buf_put_json_str(out, a->description, strlen(a->description));
	manrs_buf_puts(out, ",\"group\":");
	manrs_buf_put_json_str(out, a->group, strlen(a->group));
	manrs_buf_puts(out, ",\"evidence\":");
	manrs_buf_put_json_str(out, a->evidence, strlen(a->evidence));
	manrs_buf_put_u8(out, '}');
	return out->err;
}

int
manrs_monitor_alert_text(const struct manrs_monitor_alert *a,
    struct manrs_buf *out)
{
	char p[MANRS_PREFIX_STRLEN], r[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(&a->prefix, p, sizeof(p));
	if (a->has_rule)
		manrs_prefix_print(&a->rule, r, sizeof(r));
	manrs_buf_printf(out, "%s%s %s origin AS%u peers %u%s%s%s%s: %s",
	    a->resolved ? "RESOLVED " : a->repeat ? "REPEAT " : "",
	    manrs_monitor_type_name(a->type), p, a->origin, a->peers,
	    a->has_rule ? " rule " : "", a->has_rule ? r : "",
	    a->description[0] ? " " : "", a->description, a->evidence);
	return out->err;
}
