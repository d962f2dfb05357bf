/*
 * monitor.c - the monitor engine: routes in, deduplicated and dampened
 * alerts out.
 *
 * State:
 *   peers    interned (AS, address) -> small integer id;
 *   events   one per (monitor, prefix, AS): the set of peers that see it
 *            now, when it was first and last seen, when it was last
 *            alerted.  Found by key (hash chain) and by prefix (a second
 *            chain), so a withdrawal or a new path from a peer takes the
 *            peer out of every event of that prefix it no longer
 *            supports;
 *   visibility  per monitored prefix, a bitmap of the peers that carry
 *            it exactly, with the most peers ever seen.
 * Only routes some monitor cares about create state, so memory follows
 * the number of events, not the length of the replay; resolved events
 * are forgotten once the repeat interval has passed (manrs_monitor_tick).
 *
 * An event is raised when its peer count reaches the monitor's minimum;
 * while open it is repeated at most once per repeat interval; when the
 * last peer leaves it, a resolved alert goes out once.  An event that
 * comes back within the repeat interval of its last alert is held back
 * (counted as suppressed) and raised by the tick when the interval ends,
 * if it is still open then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <manrs/bgp.h>
#include <manrs/bogon.h>

#include "monitor_int.h"

#define NONE		UINT32_MAX
#define TRIG_MAX	16

enum ev_state {
	EV_NEW,		/* never alerted */
	EV_OPEN,	/* alerted, not resolved */
	EV_HELD,	/* back within the repeat interval, not alerted */
	EV_RESOLVED,
};

struct event {
	uint8_t		 type;
	uint8_t		 state;
	struct manrs_prefix prefix;
	uint32_t	 asn;		/* key: origin, leaker, bogon, rule */
	uint32_t	 origin;
	uint32_t	 rule;		/* index, or NONE */
	uint32_t	*peers;
	uint32_t	 npeers;
	uint32_t	 cap;
	unsigned	 peers_max;
	uint64_t	 first_seen;
	uint64_t	 last_seen;
	uint64_t	 last_alert;
	uint64_t	 resolved_at;
	char		*evidence;
	uint32_t	 roa_gen;	/* ROA check that last saw it */
	uint32_t	 hnext;		/* key chain */
	uint32_t	 pnext;		/* prefix chain */
	bool		 live;
};

struct peer {
	uint32_t	 as;
	uint8_t		 af;
	uint8_t		 addr[16];
};

struct vis {
	uint64_t	*bits;
	uint32_t	 words;
	uint32_t	 count;
	uint32_t	 max;
	uint32_t	 event;		/* open visibility event, or NONE */
};

/* One event a route triggers now. */
struct trig {
	uint8_t		 type;
	uint32_t	 asn;
	uint32_t	 rule;
	uint32_t	 path;		/* path rule index (PATH) */
};

struct route_ctx {
	const struct manrs_monitor_route *r;
	uint32_t	 origin;
	bool		 origin_set;
	const uint8_t	*path;
	size_t		 path_len;
	struct trig	 trig[TRIG_MAX];
	size_t		 ntrig;
	struct manrs_leak leak;
	enum manrs_rov_state rov;
	struct manrs_rov_result rov_res;
	const struct manrs_bogon_entry *bogon;
};

struct manrs_monitor {
	const struct manrs_monitor_config *c;
	struct manrs_monitor_opts o;
	manrs_monitor_alert_fn fn;
	void		*arg;

	struct peer	*peers;
	size_t		 npeers, peers_cap;
	uint32_t	*peer_tab;	/* open addressing, NONE = empty */
	size_t		 peer_tab_cap;

	struct event	*ev;
	size_t		 nev, ev_cap;
	uint32_t	 ev_free;	/* free list through hnext */
	size_t		 ev_live;
	uint32_t	*ktab;		/* key buckets */
	uint32_t	*ptab;		/* prefix buckets */
	size_t		 tab_cap;	/* power of two */

	struct vis	*vis;		/* per rule */
	uint32_t	*collapsed;	/* path as an ASN array */
	size_t		 collapsed_cap;
	uint8_t		*aspath;	/* MANRS_BGP_ASPATH4_MAX */
	char		*pathtext;	/* BGPalerter form "1,2,3" */
	size_t		 pathtext_cap;
	uint64_t	 now;
	uint32_t	 roa_gen;	/* ROA expiry checks done */
	struct manrs_monitor_stats st;
};

static const char *const type_names[MANRS_MON_NTYPES] = {
	"hijack", "hijack-less-specific", "more-specific", "rpki-invalid",
	"rpki-not-covered", "visibility", "new-prefix", "path", "leak",
	"bogon-prefix", "bogon-asn", "roa-expiry", "roa-change",
	"neighbor",
};

const char *
manrs_monitor_type_name(enum manrs_monitor_type t)
{
	return (unsigned)t < MANRS_MON_NTYPES ? type_names[t] : "unknown";
}

int
manrs_monitor_type_parse(const char *s)
{
	int i;

	for (i = 0; i < MANRS_MON_NTYPES; i++)
		if (strcmp(s, type_names[i]) == 0)
			return i;
	return -1;
}

void
manrs_monitor_opts_init(struct manrs_monitor_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < MANRS_MON_NTYPES; i++) {
		o->min_peers[i] = 1;
		o->enabled[i] = true;
	}
	/* BGPalerter's config.yml.example defaults, where it has them. */
	o->min_peers[MANRS_MON_HIJACK] = 3;
	o->min_peers[MANRS_MON_HIJACK_LESS] = 3;
	o->min_peers[MANRS_MON_MORESPECIFIC] = 3;
	o->min_peers[MANRS_MON_RPKI_INVALID] = 3;
	o->min_peers[MANRS_MON_RPKI_NOTCOVERED] = 3;
	o->min_peers[MANRS_MON_VISIBILITY] = 40;
	o->min_peers[MANRS_MON_NEWPREFIX] = 3;
	o->min_peers[MANRS_MON_PATH] = 1;
	o->repeat = 1800;
}

struct manrs_monitor *
manrs_monitor_new(const struct manrs_monitor_config *c,
    const struct manrs_monitor_opts *o, manrs_monitor_alert_fn fn,
    void *arg, int *err)
{
	struct manrs_monitor *m;
	size_t i;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto nomem;
	m->c = c;
	m->o = *o;
	m->fn = fn;
	m->arg = arg;
	m->ev_free = NONE;
	m->tab_cap = 256;
	m->peer_tab_cap = 256;
	if ((m->ktab = malloc(m->tab_cap * 4)) == NULL ||
	    (m->ptab = malloc(m->tab_cap * 4)) == NULL ||
	    (m->peer_tab = malloc(m->peer_tab_cap * 4)) == NULL ||
	    (m->aspath = malloc(MANRS_BGP_ASPATH4_MAX)) == NULL ||
	    (c->nrules > 0 &&
	    (m->vis = calloc(c->nrules, sizeof(*m->vis))) == NULL))
		goto nomem;
	memset(m->ktab, 0xff, m->tab_cap * 4);
	memset(m->ptab, 0xff, m->tab_cap * 4);
	memset(m->peer_tab, 0xff, m->peer_tab_cap * 4);
	for (i = 0; i < c->nrules; i++)
		m->vis[i].event = NONE;
	if (err != NULL)
		*err = 0;
	return m;
nomem:
	manrs_monitor_free(m);
	if (err != NULL)
		*err = MANRS_E_NOMEM;
	return NULL;
}

void
manrs_monitor_free(struct manrs_monitor *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nev; i++) {
		free(m->ev[i].peers);
		free(m->ev[i].evidence);
	}
	if (m->vis != NULL)
		for (i = 0; i < m->c->nrules; i++)
			free(m->vis[i].bits);
	free(m->vis);
	free(m->ev);
	free(m->ktab);
	free(m->ptab);
	free(m->peers);
	free(m->peer_tab);
	free(m->aspath);
	free(m->collapsed);
	free(m->pathtext);
	free(m);
}

/* FNV-1a over a prefix (af, len, address bytes in use). */
static uint32_t
prefix_hash(const struct manrs_prefix *p)
{
	uint32_t h = 2166136261u;
	size_t i, n = p->af == MANRS_AF_INET ? 4 : 16;

	h = (h ^ p->af) * 16777619u;
	h = (h ^ p->len) * 16777619u;
	for (i = 0; i < n; i++)
		h = (h ^ p->addr[i]) * 16777619u;
	return h;
}

static uint32_t
key_hash(uint8_t type, const struct manrs_prefix *p, uint32_t asn)
{
	uint32_t h = prefix_hash(p);

	h = (h ^ type) * 16777619u;
	h = (h ^ asn) * 16777619u;
	return h ^ (h >> 15);
}

static uint32_t
peer_hash(uint32_t as, uint8_t af, const uint8_t *addr)
{
	uint32_t h = 2166136261u;
	size_t i;

	h = (h ^ af) * 16777619u;
	for (i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	h = (h ^ as) * 16777619u;
	return h ^ (h >> 13);
}

/* The peer's id; interned on first sight.  NONE when out of memory. */
static int
peer_id(struct manrs_monitor *m, uint32_t as, uint8_t af,
    const uint8_t *addr, uint32_t *id)
{
	uint8_t a[16];
	size_t mask, i, j;
	uint32_t *nt, v;
	struct peer *p;

	memset(a, 0, sizeof(a));
	memcpy(a, addr, af == MANRS_AF_INET ? 4 : 16);
	mask = m->peer_tab_cap - 1;
	for (i = peer_hash(as, af, a) & mask;; i = (i + 1) & mask) {
		v = m->peer_tab[i];
		if (v == NONE)
			break;
		p = &m->peers[v];
		if (p->as == as && p->af == af && memcmp(p->addr, a, 16) == 0) {
			*id = v;
			return 0;
		}
	}
	if (m->npeers >= MANRS_MONITOR_PEERS_MAX)
		return MANRS_E_LIMIT;
	if (manrs_grow((void **)&m->peers, &m->peers_cap, m->npeers,
	    sizeof(*m->peers)) != 0)
		return MANRS_E_NOMEM;
	p = &m->peers[m->npeers];
	p->as = as;
	p->af = af;
	memcpy(p->addr, a, 16);
	m->peer_tab[i] = (uint32_t)m->npeers;
	*id = (uint32_t)m->npeers++;
	if (m->npeers * 2 > m->peer_tab_cap) {
		if ((nt = malloc(m->peer_tab_cap * 2 * 4)) == NULL)
			return 0;	/* stays correct, only slower */
		memset(nt, 0xff, m->peer_tab_cap * 2 * 4);
		mask = m->peer_tab_cap * 2 - 1;
		for (j = 0; j < m->npeers; j++) {
			p = &m->peers[j];
			for (i = peer_hash(p->as, p->af, p->addr) & mask;
			    nt[i] != NONE; i = (i + 1) & mask)
				;
			nt[i] = (uint32_t)j;
		}
		free(m->peer_tab);
		m->peer_tab = nt;
		m->peer_tab_cap *= 2;
	}
	return 0;
}

static uint32_t
ev_find(const struct manrs_monitor *m, uint8_t type,
    const struct manrs_prefix *p, uint32_t asn)
{
	uint32_t i;

	for (i = m->ktab[key_hash(type, p, asn) & (m->tab_cap - 1)];
	    i != NONE; i = m->ev[i].hnext) {
		const struct event *e = &m->ev[i];

		if (e->type == type && e->asn == asn &&
		    memcmp(&e->prefix, p, sizeof(*p)) == 0)
			return i;
	}
	return NONE;
}

static void
tab_link(struct manrs_monitor *m, uint32_t i)
{
	struct event *e = &m->ev[i];
	size_t mask = m->tab_cap - 1;
	uint32_t *kb, *pb;

	kb = &m->ktab[key_hash(e->type, &e->prefix, e->asn) & mask];
	pb = &m->ptab[prefix_hash(&e->prefix) & mask];
	e->hnext = *kb;
	*kb = i;
	e->pnext = *pb;
	*pb = i;
}

static int
tab_grow(struct manrs_monitor *m)
{
	uint32_t *kt, *pt;
	size_t ncap = m->tab_cap * 2, i;

	if ((kt = malloc(ncap * 4)) == NULL)
		return MANRS_E_NOMEM;
	if ((pt = malloc(ncap * 4)) == NULL) {
		free(kt);
		return MANRS_E_NOMEM;
	}
	memset(kt, 0xff, ncap * 4);
	memset(pt, 0xff, ncap * 4);
	free(m->ktab);
	free(m->ptab);
	m->ktab = kt;
	m->ptab = pt;
	m->tab_cap = ncap;
	for (i = 0; i < m->nev; i++)
		if (m->ev[i].live)
			tab_link(m, (uint32_t)i);
	return 0;
}

static int
ev_new(struct manrs_monitor *m, uint8_t type, const struct manrs_prefix *p,
    uint32_t asn, uint32_t *out)
{
	struct event *e;
	uint32_t i;

	if (m->ev_live + 1 > m->tab_cap && tab_grow(m) != 0)
		return MANRS_E_NOMEM;
	if (m->ev_free != NONE) {
		i = m->ev_free;
		m->ev_free = m->ev[i].hnext;
	} else {
		if (manrs_grow((void **)&m->ev, &m->ev_cap, m->nev,
		    sizeof(*m->ev)) != 0)
			return MANRS_E_NOMEM;
		i = (uint32_t)m->nev++;
	}
	e = &m->ev[i];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->prefix = *p;
	e->asn = asn;
	e->rule = NONE;
	e->live = true;
	e->state = EV_NEW;
	e->first_seen = m->now;
	tab_link(m, i);
	m->ev_live++;
	*out = i;
	return 0;
}

static void
unlink_from(struct manrs_monitor *m, uint32_t *head, uint32_t i, bool key)
{
	uint32_t *pp = head;

	while (*pp != NONE) {
		if (*pp == i) {
			*pp = key ? m->ev[i].hnext : m->ev[i].pnext;
			return;
		}
		pp = key ? &m->ev[*pp].hnext : &m->ev[*pp].pnext;
	}
}

static void
ev_del(struct manrs_monitor *m, uint32_t i)
{
	struct event *e = &m->ev[i];
	size_t mask = m->tab_cap - 1;

	unlink_from(m, &m->ktab[key_hash(e->type, &e->prefix, e->asn) & mask],
	    i, true);
	unlink_from(m, &m->ptab[prefix_hash(&e->prefix) & mask], i, false);
	free(e->peers);
	free(e->evidence);
	e->peers = NULL;
	e->evidence = NULL;
	e->live = false;
	e->hnext = m->ev_free;
	m->ev_free = i;
	m->ev_live--;
}

static void
emit(struct manrs_monitor *m, struct event *e, bool resolved, bool repeat)
{
	struct manrs_monitor_alert a;
	const struct mon_rule *r = NULL;
	const struct mon_asn *ma;

	memset(&a, 0, sizeof(a));
	a.type = (enum manrs_monitor_type)e->type;
	a.resolved = resolved;
	a.repeat = repeat;
	a.prefix = e->prefix;
	a.origin = e->origin;
	a.asn = e->asn;
	if (e->type == MANRS_MON_PATH || e->type == MANRS_MON_VISIBILITY)
		a.asn = e->origin;
	a.peers = e->type == MANRS_MON_VISIBILITY && e->rule != NONE ?
	    m->vis[e->rule].count : e->npeers;
	a.peers_max = e->peers_max;
	a.first_seen = e->first_seen;
	a.last_seen = e->last_seen;
	a.time = m->now;
	a.description = "";
	a.group = "";
	if (e->rule != NONE) {
		r = &m->c->rules[e->rule];
		a.has_rule = true;
		a.rule = r->prefix;
		a.expected = r->asns;
		a.nexpected = r->nasns;
		if (r->description != NULL)
			a.description = r->description;
		if (r->group != NULL)
			a.group = r->group;
	} else if ((ma = mon_config_asn(m->c, e->origin)) != NULL &&
	    ma->group != NULL)
		a.group = ma->group;
	if (e->evidence != NULL)
		strlcpy(a.evidence, e->evidence, sizeof(a.evidence));
	if (resolved) {
		strlcat(a.evidence, a.evidence[0] ? "; " : "",
		    sizeof(a.evidence));
		strlcat(a.evidence, e->type == MANRS_MON_VISIBILITY ?
		    "visible again" : e->type == MANRS_MON_ROA_EXPIRY ?
		    "renewed or no longer published" :
		    "no peer sees it any more", sizeof(a.evidence));
		m->st.resolved++;
	} else
		m->st.alerts++;
	e->last_alert = m->now;
	if (m->fn != NULL)
		m->fn(m->arg, &a);
}

/* The AS path in BGPalerter's form ("1,2,{3,4}") into m->pathtext. */
static const char *
path_text(struct manrs_monitor *m, const uint8_t *p, size_t len)
{
	size_t need, cap;
	char *t;

	if (len == 0)
		return "";
	need = manrs_bgp_aspath_print(p, len, NULL, 0) + 1;
	if (need > m->pathtext_cap) {
		cap = need < 256 ? 256 : need;
		if ((t = realloc(m->pathtext, cap)) == NULL)
			return "";
		m->pathtext = t;
		m->pathtext_cap = cap;
	}
	manrs_bgp_aspath_print(p, len, m->pathtext, m->pathtext_cap);
	for (t = m->pathtext; *t != '\0'; t++)
		if (*t == ' ')
			*t = ',';
	return m->pathtext;
}

static bool	collapse(struct manrs_monitor *m, const uint8_t *p,
		    size_t len, size_t *n);
static bool	neighbor_of(struct manrs_monitor *m, size_t n, uint32_t nb,
		    bool *up, uint32_t *of);

/* Evidence text for an event raised by the route in x. */
static void
evidence(struct manrs_monitor *m, struct event *e, const struct route_ctx *x)
{
	char buf[MANRS_MONITOR_EVIDENCE_MAX], pfx[MANRS_PREFIX_STRLEN];
	const struct mon_rule *r = e->rule != NONE ? &m->c->rules[e->rule] :
	    NULL;
	char addr[MANRS_ADDR_STRLEN];
	struct manrs_prefix pa;
	const char *path;
	size_t n = 0;

	buf[0] = '\0';
	if (x == NULL)
		return;
	path = path_text(m, x->path, x->path_len);
	memset(&pa, 0, sizeof(pa));
	pa.af = x->r->peer_af;
	pa.len = pa.af == MANRS_AF_INET ? 32 : 128;
	memcpy(pa.addr, x->r->peer_addr, pa.af == MANRS_AF_INET ? 4 : 16);
	manrs_addr_print(&pa, addr, sizeof(addr));
	switch (e->type) {
	case MANRS_MON_HIJACK:
	case MANRS_MON_HIJACK_LESS:
	case MANRS_MON_MORESPECIFIC:
		manrs_prefix_print(&r->prefix, pfx, sizeof(pfx));
		n = (size_t)snprintf(buf, sizeof(buf),
		    "%s announced by AS%u; configured %s expects AS%u%s",
		    e->type == MANRS_MON_MORESPECIFIC ? "more-specific" :
		    "prefix", e->origin, pfx, r->asns[0],
		    r->nasns > 1 ? " (and others)" : "");
		break;
	case MANRS_MON_RPKI_INVALID:
		manrs_prefix_print(&x->rov_res.vrp.prefix, pfx, sizeof(pfx));
		n = (size_t)snprintf(buf, sizeof(buf),
		    "RPKI invalid (%s): VRP %s-%u AS%u",
		    manrs_rov_reason_name(x->rov_res.reason), pfx,
		    x->rov_res.vrp.maxlen, x->rov_res.vrp.asn);
		break;
	case MANRS_MON_RPKI_NOTCOVERED:
		n = (size_t)snprintf(buf, sizeof(buf),
		    "no ROA covers the prefix");
		break;
	case MANRS_MON_LEAK:
		n = (size_t)snprintf(buf, sizeof(buf),
		    "AS%u passed the route from AS%u (its %s) to AS%u "
		    "(its %s) (RFC 7908 type 1)", x->leak.leaker,
		    x->leak.from, x->leak.from_rel == MANRS_ASREL_PEER ?
		    "peer" : "provider", x->leak.to,
		    x->leak.to_rel == MANRS_ASREL_PEER ? "peer" : "provider");
		break;
	case MANRS_MON_BOGON_PREFIX:
		n = (size_t)snprintf(buf, sizeof(buf), "bogon: %s (%s)",
		    x->bogon->name, x->bogon->rfc);
		break;
	case MANRS_MON_BOGON_ASN:
		n = (size_t)snprintf(buf, sizeof(buf),
		    "bogon AS%u in the path", e->asn);
		break;
	case MANRS_MON_NEWPREFIX:
		n = (size_t)snprintf(buf, sizeof(buf),
		    "monitored AS%u announces a prefix not in the list",
		    e->origin);
		break;
	case MANRS_MON_NEIGHBOR: {
		size_t np;
		uint32_t of = 0;
		bool up = false;

		if (collapse(m, x->path, x->path_len, &np) &&
		    neighbor_of(m, np, e->asn, &up, &of))
			n = (size_t)snprintf(buf, sizeof(buf),
			    "AS%u is not a known %s of AS%u", e->asn,
			    up ? "upstream" : "downstream", of);
		break;
	}
	case MANRS_MON_PATH: {
		const struct mon_path *mp = &r->paths[e->asn];

		n = (size_t)snprintf(buf, sizeof(buf), "path rule %u%s%s",
		    e->asn + 1, mp->description ? ": " : "",
		    mp->description ? mp->description : "");
		break;
	}
	default:
		break;
	}
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, "; path %s; peer %s AS%u",
		    path[0] ? path : "(empty)", addr, x->r->peer_as);
	free(e->evidence);
	e->evidence = strdup(buf);
}

/* Raise e now if it is due; x is the route that made it due (or NULL). */
static void
maybe_raise(struct manrs_monitor *m, struct event *e,
    const struct route_ctx *x)
{
	if (e->state == EV_OPEN || e->state == EV_HELD)
		return;
	if (e->state == EV_RESOLVED && m->now < e->last_alert + m->o.repeat) {
		e->state = EV_HELD;
		m->st.suppressed++;
		evidence(m, e, x);
		return;
	}
	evidence(m, e, x);
	e->state = EV_OPEN;
	emit(m, e, false, false);
}

static void
resolve(struct manrs_monitor *m, struct event *e)
{
	if (e->state == EV_OPEN)
		emit(m, e, true, false);
	if (e->state != EV_NEW)
		e->state = EV_RESOLVED;
	e->resolved_at = m->now;
}

static bool
ev_has_peer(const struct event *e, uint32_t peer, uint32_t *pos)
{
	uint32_t i;

	for (i = 0; i < e->npeers; i++)
		if (e->peers[i] == peer) {
			if (pos != NULL)
				*pos = i;
			return true;
		}
	return false;
}

static void
ev_remove_peer(struct manrs_monitor *m, uint32_t ei, uint32_t peer)
{
	struct event *e = &m->ev[ei];
	uint32_t pos;

	if (!ev_has_peer(e, peer, &pos))
		return;
	e->peers[pos] = e->peers[--e->npeers];
	if (e->npeers == 0) {
		resolve(m, e);
		/* a never-raised event leaves nothing to remember */
		if (e->state == EV_NEW)
			ev_del(m, ei);
	}
}

static int
add(struct route_ctx *x, uint8_t type, uint32_t asn, uint32_t rule,
    uint32_t path)
{
	if (x->ntrig >= TRIG_MAX)
		return 0;
	x->trig[x->ntrig].type = type;
	x->trig[x->ntrig].asn = asn;
	x->trig[x->ntrig].rule = rule;
	x->trig[x->ntrig].path = path;
	x->ntrig++;
	return 0;
}

static bool
triggered(const struct route_ctx *x, const struct event *e)
{
	size_t i;

	for (i = 0; i < x->ntrig; i++)
		if (x->trig[i].type == e->type && x->trig[i].asn == e->asn)
			return true;
	return false;
}

static bool
enabled(const struct manrs_monitor *m, const struct mon_rule *r,
    unsigned type)
{
	return m->o.enabled[type] && (r == NULL ||
	    (r->monitors & (1u << type)) != 0);
}

/* Path as an ASN array with prepends collapsed; false for sets. */
static bool
collapse(struct manrs_monitor *m, const uint8_t *p, size_t len, size_t *n)
{
	struct manrs_reader r;
	uint8_t type, cnt;
	uint32_t asn;
	unsigned i;

	*n = 0;
	manrs_reader_init(&r, p, len, 0);
	while (manrs_reader_left(&r) > 0) {
		manrs_reader_u8(&r, &type);
		manrs_reader_u8(&r, &cnt);
		if (r.err != 0 || type != MANRS_BGP_AS_SEQUENCE)
			return false;
		for (i = 0; i < cnt; i++) {
			if (manrs_reader_u32(&r, &asn) != 0)
				return false;
			if (*n > 0 && m->collapsed[*n - 1] == asn)
				continue;
			if (manrs_grow((void **)&m->collapsed,
			    &m->collapsed_cap, *n, 4) != 0)
				return false;
			m->collapsed[(*n)++] = asn;
		}
	}
	return *n > 0;
}

static bool
path_rule_hit(struct manrs_monitor *m, const struct mon_path *mp,
    const struct route_ctx *x)
{
	const char *text;
	ptrdiff_t len;
	bool any = false;

	len = manrs_bgp_aspath_length(x->path, x->path_len, 4);
	if (mp->has_match || mp->has_notmatch) {
		text = path_text(m, x->path, x->path_len);
		if (mp->has_match) {
			if (regexec(mon_config_regex(m->c, mp->match), text,
			    0, NULL, 0) != 0)
				return false;
			any = true;
		}
		if (mp->has_notmatch &&
		    regexec(mon_config_regex(m->c, mp->notmatch), text, 0,
		    NULL, 0) == 0)
			return false;
	}
	if (mp->max_len >= 0) {
		if (len <= mp->max_len)
			return false;
		any = true;
	}
	if (mp->min_len >= 0) {
		if (len >= mp->min_len)
			return false;
		any = true;
	}
	return any;
}

struct covered_ctx {
	struct manrs_monitor *m;
	struct route_ctx *x;
	const struct manrs_prefix *p;
};

/* A less specific announcement covering monitored prefix q. */
static int
covered_cb(const struct manrs_prefix *q, uint32_t value, void *arg)
{
	struct covered_ctx *cc = arg;
	const struct mon_rule *r = &cc->m->c->rules[value];

	if (q->len == cc->p->len || r->ignore ||
	    !enabled(cc->m, r, MANRS_MON_HIJACK_LESS) || cc->x->origin_set ||
	    mon_rule_has_asn(r, cc->x->origin))
		return 0;
	if (cc->x->rov == MANRS_ROV_VALID)
		return 0;
	/* one event per covering prefix and origin: the first rule names it */
	add(cc->x, MANRS_MON_HIJACK_LESS, cc->x->origin, value, 0);
	return 1;
}

/*
 * BGPalerter's monitorPathNeighbors: a monitored AS with upstreams or
 * downstreams seen next to an AS not listed on that side (upstream: the
 * AS before it in the path, towards the collector; downstream: after it,
 * towards the origin).  Prepends are collapsed first.  Sides: *up, *down
 * get whether e_asn is an unexpected neighbour there, of *of.
 */
static bool
neighbor_of(struct manrs_monitor *m, size_t n, uint32_t nb, bool *up,
    uint32_t *of)
{
	const struct mon_asn *ma;
	size_t i;

	for (i = 0; i < n; i++) {
		ma = mon_config_asn(m->c, m->collapsed[i]);
		if (ma == NULL)
			continue;
		if (ma->has_ups && i > 0 && m->collapsed[i - 1] == nb &&
		    !mon_asns_have(ma->ups, ma->nups, nb)) {
			*up = true;
			*of = ma->asn;
			return true;
		}
		if (ma->has_downs && i + 1 < n && m->collapsed[i + 1] == nb &&
		    !mon_asns_have(ma->downs, ma->ndowns, nb)) {
			*up = false;
			*of = ma->asn;
			return true;
		}
	}
	return false;
}

static void
neighbors(struct manrs_monitor *m, struct route_ctx *x, uint32_t ridx)
{
	const struct mon_asn *ma;
	size_t n, i;

	if (!collapse(m, x->path, x->path_len, &n))
		return;
	for (i = 0; i < n; i++) {
		ma = mon_config_asn(m->c, m->collapsed[i]);
		if (ma == NULL)
			continue;
		if (ma->has_ups && i > 0 &&
		    !mon_asns_have(ma->ups, ma->nups, m->collapsed[i - 1]))
			add(x, MANRS_MON_NEIGHBOR, m->collapsed[i - 1], ridx,
			    0);
		if (ma->has_downs && i + 1 < n &&
		    !mon_asns_have(ma->downs, ma->ndowns,
		    m->collapsed[i + 1]))
			add(x, MANRS_MON_NEIGHBOR, m->collapsed[i + 1], ridx,
			    0);
	}
}

/* Work out which events the announcement in x triggers. */
static void
classify(struct manrs_monitor *m, struct route_ctx *x, uint32_t ridx,
    bool have_rule)
{
	const struct manrs_monitor_config *c = m->c;
	const struct manrs_prefix *p = &x->r->prefix;
	const struct mon_rule *r = have_rule ? &c->rules[ridx] : NULL;
	const struct mon_asn *ma = NULL;
	struct manrs_bogon_match bm;
	struct covered_ctx cc;
	bool exact = r != NULL && memcmp(&r->prefix, p, sizeof(*p)) == 0;
	bool mine, rpki_scope;
	size_t n, i;

	if (r != NULL && (r->ignore || (!exact && r->ignore_morespecifics)))
		r = NULL;
	if (c->nasns > 0 && !x->origin_set)
		ma = mon_config_asn(c, x->origin);
	rpki_scope = r != NULL || ma != NULL;
	x->rov = MANRS_ROV_NOTFOUND;
	if (m->o.vrps != NULL)
		x->rov = manrs_rov_validate(m->o.vrps, p, x->origin,
		    x->origin_set, &x->rov_res);
	else
		x->rov = MANRS_ROV_NOTFOUND;
	if (r != NULL) {
		mine = !x->origin_set && mon_rule_has_asn(r, x->origin);
		/* an AS_SET origin names no AS: RPKI judges it, not us */
		if (!mine && !x->origin_set &&
		    enabled(m, r, MANRS_MON_HIJACK) &&
		    x->rov != MANRS_ROV_VALID)
			add(x, MANRS_MON_HIJACK, x->origin, ridx, 0);
		if (mine && !exact && enabled(m, r, MANRS_MON_MORESPECIFIC))
			add(x, MANRS_MON_MORESPECIFIC, x->origin, ridx, 0);
		for (i = 0; i < r->npaths && enabled(m, r, MANRS_MON_PATH);
		    i++)
			if (path_rule_hit(m, &r->paths[i], x))
				add(x, MANRS_MON_PATH, (uint32_t)i, ridx, 0);
	}
	/* less specific: p strictly covers monitored prefixes */
	if (m->o.enabled[MANRS_MON_HIJACK_LESS] && c->nrules > 0) {
		cc.m = m;
		cc.x = x;
		cc.p = p;
		manrs_trie_walk_covered(c->trie, p, covered_cb, &cc);
	}
	if (rpki_scope && m->o.vrps != NULL) {
		if (x->rov == MANRS_ROV_INVALID &&
		    enabled(m, r, MANRS_MON_RPKI_INVALID))
			add(x, MANRS_MON_RPKI_INVALID, x->origin, ridx, 0);
		if (x->rov == MANRS_ROV_NOTFOUND &&
		    enabled(m, r, MANRS_MON_RPKI_NOTCOVERED))
			add(x, MANRS_MON_RPKI_NOTCOVERED, x->origin, ridx, 0);
	}
	if (ma != NULL && !have_rule && enabled(m, NULL, MANRS_MON_NEWPREFIX))
		add(x, MANRS_MON_NEWPREFIX, x->origin, NONE, 0);
	/* bogon space from a monitored AS, outside the configured list */
	if (ma != NULL && !have_rule &&
	    enabled(m, NULL, MANRS_MON_BOGON_PREFIX)) {
		manrs_bogon_prefix_check(p, &bm);
		if (bm.kind == MANRS_BOGON_INSIDE) {
			x->bogon = bm.entry;
			add(x, MANRS_MON_BOGON_PREFIX, x->origin, NONE, 0);
		}
	}
	if (c->neighbors && enabled(m, r, MANRS_MON_NEIGHBOR))
		neighbors(m, x, r != NULL ? ridx : NONE);
	if (!rpki_scope)
		return;
	if (!collapse(m, x->path, x->path_len, &n))
		return;
	if (enabled(m, r, MANRS_MON_BOGON_ASN))
		for (i = 0; i < n; i++)
			if (manrs_bogon_asn_find(m->collapsed[i]) != NULL) {
				add(x, MANRS_MON_BOGON_ASN, m->collapsed[i],
				    r != NULL ? ridx : NONE, 0);
				break;
			}
	if (m->o.asrel != NULL && enabled(m, r, MANRS_MON_LEAK) &&
	    manrs_asgraph_check_path(m->o.asrel, m->collapsed, n,
	    &x->leak) == MANRS_VF_LEAK)
		add(x, MANRS_MON_LEAK, x->leak.leaker,
		    r != NULL ? ridx : NONE, 0);
}

static int
vis_update(struct manrs_monitor *m, uint32_t ridx, uint32_t peer, bool on)
{
	struct vis *v = &m->vis[ridx];
	const struct mon_rule *r = &m->c->rules[ridx];
	uint32_t w = peer / 64, ei;
	uint64_t bit = (uint64_t)1 << (peer % 64);
	uint64_t *nb;
	struct event *e;

	if (w >= v->words) {
		if (!on)
			return 0;
		nb = reallocarray(v->bits, w + 1, sizeof(uint64_t));
		if (nb == NULL)
			return MANRS_E_NOMEM;
		memset(nb + v->words, 0, (w + 1 - v->words) * 8);
		v->bits = nb;
		v->words = w + 1;
	}
	if (on == ((v->bits[w] & bit) != 0))
		return 0;
	if (on) {
		v->bits[w] |= bit;
		v->count++;
		if (v->count > v->max)
			v->max = v->count;
	} else {
		v->bits[w] &= ~bit;
		v->count--;
	}
	if (r->ignore || !enabled(m, r, MANRS_MON_VISIBILITY))
		return 0;
	if (v->count >= m->o.min_peers[MANRS_MON_VISIBILITY]) {
		if (v->event != NONE) {
			e = &m->ev[v->event];
			e->npeers = 0;
			resolve(m, e);
			if (e->state == EV_NEW)
				ev_del(m, v->event);
			v->event = NONE;
		}
		return 0;
	}
	if (v->max < m->o.min_peers[MANRS_MON_VISIBILITY] || on)
		return 0;
	if (v->event == NONE) {
		ei = ev_find(m, MANRS_MON_VISIBILITY, &r->prefix, 0);
		if (ei == NONE && ev_new(m, MANRS_MON_VISIBILITY, &r->prefix,
		    0, &ei) != 0)
			return MANRS_E_NOMEM;
		v->event = ei;
		e = &m->ev[ei];
		e->rule = ridx;
		e->origin = r->asns != NULL ? r->asns[0] : 0;
		if (e->state == EV_RESOLVED || e->state == EV_NEW)
			e->first_seen = m->now;
	}
	e = &m->ev[v->event];
	e->last_seen = m->now;
	e->peers_max = v->max;
	if (e->state != EV_OPEN && e->state != EV_HELD) {
		char buf[128];

		snprintf(buf, sizeof(buf), "seen by %u peers, at most %u "
		    "before; threshold %u", v->count, v->max,
		    m->o.min_peers[MANRS_MON_VISIBILITY]);
		if (e->state == EV_RESOLVED &&
		    m->now < e->last_alert + m->o.repeat) {
			e->state = EV_HELD;
			m->st.suppressed++;
		} else {
			free(e->evidence);
			e->evidence = strdup(buf);
			e->state = EV_OPEN;
			emit(m, e, false, false);
		}
	}
	return 0;
}

static int
apply(struct manrs_monitor *m, struct route_ctx *x, uint32_t peer)
{
	const struct manrs_prefix *p = &x->r->prefix;
	uint32_t i, next, ei;
	struct event *e;
	size_t k;
	int rc;

	/* take the peer out of events of p it no longer supports */
	if (m->ev_live > 0)
		for (i = m->ptab[prefix_hash(p) & (m->tab_cap - 1)];
		    i != NONE; i = next) {
			next = m->ev[i].pnext;
			e = &m->ev[i];
			if (e->type == MANRS_MON_VISIBILITY ||
			    memcmp(&e->prefix, p, sizeof(*p)) != 0 ||
			    triggered(x, e))
				continue;
			ev_remove_peer(m, i, peer);
		}
	for (k = 0; k < x->ntrig; k++) {
		const struct trig *t = &x->trig[k];

		ei = ev_find(m, t->type, p, t->asn);
		if (ei == NONE) {
			if ((rc = ev_new(m, t->type, p, t->asn, &ei)) != 0)
				return rc;
			m->ev[ei].rule = t->rule;
			m->ev[ei].origin = x->origin;
		}
		e = &m->ev[ei];
		if (e->npeers == 0 && e->state == EV_RESOLVED)
			e->first_seen = m->now;
		e->last_seen = m->now;
		e->origin = x->origin;
		if (!ev_has_peer(e, peer, NULL)) {
			if (e->npeers == e->cap) {
				uint32_t ncap = e->cap ? e->cap * 2 : 4;
				uint32_t *np;

				np = reallocarray(e->peers, ncap, 4);
				if (np == NULL)
					return MANRS_E_NOMEM;
				e->peers = np;
				e->cap = ncap;
			}
			e->peers[e->npeers++] = peer;
			if (e->npeers > e->peers_max)
				e->peers_max = e->npeers;
		}
		if (e->npeers >= m->o.min_peers[t->type])
			maybe_raise(m, e, x);
	}
	return 0;
}

static int
any_cb(const struct manrs_prefix *q, uint32_t value, void *arg)
{
	(void)value;
	return q->len > ((const struct manrs_prefix *)arg)->len;
}

/* Does p strictly cover a monitored prefix (a less specific of it)? */
static bool
covers_rule(const struct manrs_monitor *m, const struct manrs_prefix *p)
{
	struct manrs_prefix q = *p;

	if (!m->o.enabled[MANRS_MON_HIJACK_LESS] || m->c->nrules == 0)
		return false;
	return manrs_trie_walk_covered(m->c->trie, &q, any_cb, &q) != 0;
}

int
manrs_monitor_route(struct manrs_monitor *m,
    const struct manrs_monitor_route *r)
{
	const struct manrs_monitor_config *c = m->c;
	struct route_ctx x;
	struct manrs_prefix match;
	uint32_t ridx = NONE, peer;
	bool have_rule = false, exact, withdraw = r->withdraw;
	int rc, ret = 0;

	m->st.routes++;
	if (r->time > m->now)
		m->now = r->time;
	x.r = r;
	x.ntrig = 0;
	x.origin = 0;
	x.origin_set = true;
	x.path = r->aspath;
	x.path_len = r->aspath_len;
	x.bogon = NULL;
	if (!withdraw) {
		if (manrs_bgp_aspath_length(r->aspath, r->aspath_len, 4) < 0) {
			withdraw = true;	/* RFC 7606 treat-as-withdraw */
			ret = MANRS_E_FORMAT;
		} else
			x.origin_set = !manrs_bgp_aspath_origin(r->aspath,
			    r->aspath_len, &x.origin);
	}
	if (c->nrules > 0)
		have_rule = manrs_trie_longest(c->trie, &r->prefix, &match,
		    &ridx);
	exact = have_rule && match.len == r->prefix.len;
	/* fast path: nothing here for any monitor */
	if (!have_rule && m->ev_live == 0 && (withdraw ||
	    (c->nasns == 0 && !covers_rule(m, &r->prefix))))
		return ret;
	if (!withdraw)
		classify(m, &x, ridx, have_rule);
	if (!have_rule && x.ntrig == 0) {
		/* anything to resolve on this prefix? */
		uint32_t i;
		bool any = false;

		if (m->ev_live > 0)
			for (i = m->ptab[prefix_hash(&r->prefix) &
			    (m->tab_cap - 1)]; i != NONE; i = m->ev[i].pnext)
				if (memcmp(&m->ev[i].prefix, &r->prefix,
				    sizeof(r->prefix)) == 0) {
					any = true;
					break;
				}
		if (!any)
			return ret;
	}
	m->st.matched++;
	if ((rc = peer_id(m, r->peer_as, r->peer_af, r->peer_addr,
	    &peer)) != 0)
		return rc;
	if ((rc = apply(m, &x, peer)) != 0)
		return rc;
	if (exact && (rc = vis_update(m, ridx, peer, !withdraw)) != 0)
		return rc;
	return ret;
}

int
manrs_monitor_update(struct manrs_monitor *m, uint32_t peer_as,
    uint8_t peer_af, const uint8_t *peer_addr, uint64_t time,
    const uint8_t *body, size_t len, unsigned asn_size, unsigned addpath)
{
	struct manrs_bgp_update u;
	struct manrs_bgp_attrs a;
	struct manrs_bgp_nlri_iter it;
	struct manrs_bgp_nlri n;
	struct manrs_monitor_route r;
	ptrdiff_t plen = 0;
	bool bad = false;
	int rc, ret = 0, pass;

	if ((rc = manrs_bgp_update_split(body, len, &u)) != 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.peer_as = peer_as;
	r.peer_af = peer_af;
	memcpy(r.peer_addr, peer_addr, peer_af == MANRS_AF_INET ? 4 : 16);
	r.time = time;
	rc = manrs_bgp_attrs_decode(&a, u.attrs, u.attrs_len, asn_size, 0,
	    NULL);
	if (rc == MANRS_E_SHORT || rc == MANRS_E_FORMAT)
		bad = true;
	if (!bad && u.attrs_len > 0) {
		plen = manrs_bgp_aspath4(&a, m->aspath);
		if (plen < 0)
			bad = true;
	}
	if (bad)
		ret = MANRS_E_FORMAT;
	r.aspath = m->aspath;
	r.aspath_len = plen > 0 ? (size_t)plen : 0;
	/* withdrawals first, then announcements, as they are applied */
	for (pass = 0; pass < 4; pass++) {
		const uint8_t *p = NULL;
		size_t l = 0;
		uint8_t af = MANRS_AF_INET;
		const struct manrs_bgp_mp *mp;

		switch (pass) {
		case 0:
			p = u.withdrawn;
			l = u.withdrawn_len;
			r.withdraw = true;
			break;
		case 1:
			if (!manrs_bgp_attrs_has(&a, MANRS_BGP_ATTR_MP_UNREACH))
				continue;
			mp = &a.unreach;
			goto mp;
		case 2:
			p = u.nlri;
			l = u.nlri_len;
			r.withdraw = bad;
			break;
		case 3:
			if (!manrs_bgp_attrs_has(&a, MANRS_BGP_ATTR_MP_REACH))
				continue;
			mp = &a.reach;
			r.withdraw = bad;
mp:
			if (mp->safi != MANRS_SAFI_UNICAST)
				continue;
			if (mp->afi == MANRS_AFI_IPV6)
				af = MANRS_AF_INET6;
			else if (mp->afi != MANRS_AFI_IPV4)
				continue;
			if (pass == 1)
				r.withdraw = true;
			p = mp->nlri;
			l = mp->nlri_len;
			break;
		}
		manrs_bgp_nlri_init(&it, p, l, af, (addpath &
		    (af == MANRS_AF_INET ? MANRS_MONITOR_ADDPATH_V4 :
		    MANRS_MONITOR_ADDPATH_V6)) != 0);
		while ((rc = manrs_bgp_nlri_next(&it, &n)) == 1) {
			manrs_bgp_nlri_prefix(&n, &r.prefix);
			if ((rc = manrs_monitor_route(m, &r)) != 0 &&
			    rc != MANRS_E_FORMAT)
				return rc;
		}
		if (rc < 0 && ret == 0)
			ret = rc;
	}
	return ret;
}

int
manrs_monitor_peer_down(struct manrs_monitor *m, uint32_t peer_as,
    uint8_t peer_af, const uint8_t *peer_addr, uint64_t time)
{
	uint32_t peer;
	size_t i;
	int rc;

	if (time > m->now)
		m->now = time;
	if ((rc = peer_id(m, peer_as, peer_af, peer_addr, &peer)) != 0)
		return rc;
	for (i = 0; i < m->nev; i++)
		if (m->ev[i].live && m->ev[i].type != MANRS_MON_VISIBILITY)
			ev_remove_peer(m, (uint32_t)i, peer);
	for (i = 0; i < m->c->nrules; i++)
		if ((rc = vis_update(m, (uint32_t)i, peer, false)) != 0)
			return rc;
	return 0;
}

void
manrs_monitor_tick(struct manrs_monitor *m, uint64_t now)
{
	struct event *e;
	size_t i;

	if (now > m->now)
		m->now = now;
	for (i = 0; i < m->nev; i++) {
		e = &m->ev[i];
		if (!e->live || e->type == MANRS_MON_ROA_EXPIRY)
			continue;	/* ROA events: the ROA clock's */
		if (m->now < e->last_alert + m->o.repeat)
			continue;
		if (e->state == EV_OPEN) {
			emit(m, e, false, true);
		} else if (e->state == EV_HELD) {
			e->state = EV_OPEN;
			emit(m, e, false, false);
		} else if (e->state == EV_RESOLVED &&
		    m->now >= e->resolved_at + m->o.repeat) {
			if (e->type == MANRS_MON_VISIBILITY &&
			    e->rule != NONE && m->vis[e->rule].event ==
			    (uint32_t)i)
				continue;
			ev_del(m, (uint32_t)i);
		}
	}
}

uint8_t *
mon_aspath_buf(struct manrs_monitor *m)
{
	return m->aspath;
}

void
manrs_monitor_stats(const struct manrs_monitor *m,
    struct manrs_monitor_stats *st)
{
	size_t i;

	*st = m->st;
	st->events = m->ev_live;
	st->open = 0;
	st->memory = sizeof(*m) + m->ev_cap * sizeof(*m->ev) +
	    m->tab_cap * 8 + m->peers_cap * sizeof(*m->peers) +
	    m->peer_tab_cap * 4 + MANRS_BGP_ASPATH4_MAX + m->pathtext_cap +
	    m->collapsed_cap * 4;
	for (i = 0; i < m->nev; i++) {
		if (!m->ev[i].live)
			continue;
		if (m->ev[i].state == EV_OPEN)
			st->open++;
		st->memory += m->ev[i].cap * 4;
	}
	for (i = 0; i < m->c->nrules; i++)
		st->memory += sizeof(struct vis) + m->vis[i].words * 8;
	st->peers = m->npeers;
}

/* ---- ROA monitors ---- */

struct roa_any {
	const struct manrs_monitor_config *c;
	uint32_t	 rule;
};

static int
roa_any_cb(const struct manrs_prefix *q, uint32_t value, void *arg)
{
	struct roa_any *ra = arg;

	(void)q;
	if (ra->c->rules[value].ignore)
		return 0;
	ra->rule = value;
	return 1;
}

/* Does v concern the configuration?  *rule: its monitored prefix. */
static bool
roa_relevant(const struct manrs_monitor *m, const struct manrs_vrp *v,
    uint32_t *rule)
{
	const struct manrs_monitor_config *c = m->c;
	struct manrs_prefix q = v->prefix;
	struct roa_any ra = { c, NONE };
	uint32_t val;

	*rule = NONE;
	if (c->nrules > 0 && manrs_trie_longest(c->trie, &q, NULL, &val) &&
	    !c->rules[val].ignore) {
		*rule = val;
		return true;
	}
	if (c->nrules > 0 &&
	    manrs_trie_walk_covered(c->trie, &q, roa_any_cb, &ra) != 0) {
		*rule = ra.rule;
		return true;
	}
	return mon_config_asn(c, v->asn) != NULL;
}

static void
roa_text(const struct manrs_vrp *v, char *buf, size_t cap)
{
	char pfx[MANRS_PREFIX_STRLEN];

	manrs_prefix_print(&v->prefix, pfx, sizeof(pfx));
	snprintf(buf, cap, "%s maxLength %u AS%u", pfx, (unsigned)v->maxlen,
	    v->asn);
}

static void
utc_text(int64_t t, char *buf, size_t cap)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, cap, "%lld", (long long)t);
}

static int
roa_expiry(struct manrs_monitor *m, const struct manrs_vrp_set *cur,
    uint64_t now, uint64_t window)
{
	char buf[MANRS_MONITOR_EVIDENCE_MAX], v[96], when[32];
	const struct manrs_vrp *vrp;
	struct event *e;
	uint32_t rule, ei;
	int64_t exp;
	size_t i, n = manrs_vrp_count(cur, 0);
	int rc;

	m->roa_gen++;
	for (i = 0; i < n; i++) {
		exp = manrs_vrp_expires(cur, i);
		if (exp <= 0 || (uint64_t)exp > now + window)
			continue;
		vrp = manrs_vrp_get(cur, i);
		if (!roa_relevant(m, vrp, &rule) ||
		    (rule != NONE && !enabled(m, &m->c->rules[rule],
		    MANRS_MON_ROA_EXPIRY)))
			continue;
		if ((ei = ev_find(m, MANRS_MON_ROA_EXPIRY, &vrp->prefix,
		    vrp->asn)) == NONE) {
			if ((rc = ev_new(m, MANRS_MON_ROA_EXPIRY, &vrp->prefix,
			    vrp->asn, &ei)) != 0)
				return rc;
			m->ev[ei].rule = rule;
			m->ev[ei].origin = vrp->asn;
		}
		e = &m->ev[ei];
		e->last_seen = now;
		e->roa_gen = m->roa_gen;
		if (e->state == EV_OPEN || e->state == EV_HELD) {
			if (now < e->last_alert + m->o.repeat)
				continue;
			emit(m, e, false, e->state == EV_OPEN);
			e->state = EV_OPEN;
			continue;
		}
		roa_text(vrp, v, sizeof(v));
		utc_text(exp, when, sizeof(when));
		if ((uint64_t)exp > now)
			snprintf(buf, sizeof(buf), "ROA %s expires %s (in "
			    "%llu min)", v, when,
			    (unsigned long long)(((uint64_t)exp - now) / 60));
		else
			snprintf(buf, sizeof(buf), "ROA %s expired %s", v,
			    when);
		free(e->evidence);
		e->evidence = strdup(buf);
		if (e->state == EV_RESOLVED && now < e->last_alert +
		    m->o.repeat) {
			e->state = EV_HELD;
			m->st.suppressed++;
			continue;
		}
		e->state = EV_OPEN;
		emit(m, e, false, false);
	}
	/* the ones not seen this time: renewed, or gone */
	for (i = 0; i < m->nev; i++) {
		e = &m->ev[i];
		if (!e->live || e->type != MANRS_MON_ROA_EXPIRY ||
		    e->roa_gen == m->roa_gen)
			continue;
		if (e->state != EV_RESOLVED)
			resolve(m, e);
		else if (now >= e->resolved_at + m->o.repeat)
			ev_del(m, (uint32_t)i);
	}
	return 0;
}

/* The relevant VRPs of s, sorted, into a new array. */
struct roa_ent {
	struct manrs_vrp v;
	uint32_t	 rule;
};

static int
roa_cmp(const void *a, const void *b)
{
	const struct roa_ent *x = a, *y = b;
	int c;

	if (x->v.prefix.af != y->v.prefix.af)
		return x->v.prefix.af < y->v.prefix.af ? -1 : 1;
	if ((c = memcmp(x->v.prefix.addr, y->v.prefix.addr,
	    sizeof(x->v.prefix.addr))) != 0)
		return c;
	if (x->v.prefix.len != y->v.prefix.len)
		return x->v.prefix.len < y->v.prefix.len ? -1 : 1;
	if (x->v.maxlen != y->v.maxlen)
		return x->v.maxlen < y->v.maxlen ? -1 : 1;
	if (x->v.asn != y->v.asn)
		return x->v.asn < y->v.asn ? -1 : 1;
	return 0;
}

static int
roa_collect(const struct manrs_monitor *m, const struct manrs_vrp_set *s,
    struct roa_ent **out, size_t *nout)
{
	size_t i, n = manrs_vrp_count(s, 0), cap = 0;
	const struct manrs_vrp *v;
	uint32_t rule;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < n; i++) {
		v = manrs_vrp_get(s, i);
		if (!roa_relevant(m, v, &rule) || (rule != NONE &&
		    !enabled(m, &m->c->rules[rule], MANRS_MON_ROA_CHANGE)))
			continue;
		if (manrs_grow((void **)out, &cap, *nout, sizeof(**out)) != 0)
			return MANRS_E_NOMEM;
		memset(&(*out)[*nout], 0, sizeof(**out));
		(*out)[*nout].v = *v;
		(*out)[*nout].rule = rule;
		(*nout)++;
	}
	if (*nout > 1)
		qsort(*out, *nout, sizeof(**out), roa_cmp);
	return 0;
}

static bool
same_prefix(const struct manrs_prefix *a, const struct manrs_prefix *b)
{
	return a->af == b->af && a->len == b->len &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/* One roa-change alert for the prefix of a[ia..] / b[ib..]. */
static void
roa_change_one(struct manrs_monitor *m, const struct roa_ent *a, size_t na,
    const struct roa_ent *b, size_t nb)
{
	char buf[MANRS_MONITOR_EVIDENCE_MAX], v[96];
	const struct roa_ent *any = na > 0 ? a : b;
	struct event e;
	size_t i = 0, j = 0, len = 0;
	bool changed = false;
	int c;

	buf[0] = '\0';
	while (i < na || j < nb) {
		c = i >= na ? 1 : j >= nb ? -1 : roa_cmp(&a[i], &b[j]);
		if (c == 0) {
			i++;
			j++;
			continue;
		}
		roa_text(c < 0 ? &a[i].v : &b[j].v, v, sizeof(v));
		len = strlen(buf);
		snprintf(buf + len, sizeof(buf) - len, "%s%s %s",
		    len > 0 ? "; " : "", c < 0 ? "removed" : "added", v);
		changed = true;
		if (c < 0)
			i++;
		else
			j++;
	}
	if (!changed)
		return;
	memset(&e, 0, sizeof(e));
	e.type = MANRS_MON_ROA_CHANGE;
	e.prefix = any->v.prefix;
	e.asn = nb > 0 ? b->v.asn : a->v.asn;
	e.origin = e.asn;
	e.rule = any->rule;
	e.first_seen = m->now;
	e.last_seen = m->now;
	e.evidence = buf;
	emit(m, &e, false, false);
}

static int
roa_change(struct manrs_monitor *m, const struct manrs_vrp_set *prev,
    const struct manrs_vrp_set *cur)
{
	struct roa_ent *a = NULL, *b = NULL;
	size_t na, nb, i = 0, j = 0, ie, je;
	int rc, c;

	if ((rc = roa_collect(m, prev, &a, &na)) != 0 ||
	    (rc = roa_collect(m, cur, &b, &nb)) != 0)
		goto out;
	while (i < na || j < nb) {
		/* the next prefix in order, from either side */
		if (i >= na)
			c = 1;
		else if (j >= nb)
			c = -1;
		else if (same_prefix(&a[i].v.prefix, &b[j].v.prefix))
			c = 0;
		else {
			struct roa_ent x = a[i], y = b[j];

			x.v.maxlen = y.v.maxlen = 0;
			x.v.asn = y.v.asn = 0;
			c = roa_cmp(&x, &y);
		}
		ie = i;
		je = j;
		if (c <= 0)
			while (ie < na && same_prefix(&a[ie].v.prefix,
			    &a[i].v.prefix))
				ie++;
		if (c >= 0)
			while (je < nb && same_prefix(&b[je].v.prefix,
			    &b[j].v.prefix))
				je++;
		roa_change_one(m, a + i, ie - i, b + j, je - j);
		i = ie;
		j = je;
	}
out:
	free(a);
	free(b);
	return rc;
}

int
manrs_monitor_roas(struct manrs_monitor *m, const struct manrs_vrp_set *prev,
    const struct manrs_vrp_set *cur, uint64_t now, uint64_t window)
{
	uint64_t saved = m->now;
	int rc = 0;

	if (cur == NULL)
		return MANRS_E_INVAL;
	m->now = now;
	if (window > 0 && m->o.enabled[MANRS_MON_ROA_EXPIRY])
		rc = roa_expiry(m, cur, now, window);
	if (rc == 0 && prev != NULL && m->o.enabled[MANRS_MON_ROA_CHANGE])
		rc = roa_change(m, prev, cur);
	m->o.vrps = cur;
	m->now = saved;		/* the routes' clock is theirs */
	return rc;
}
