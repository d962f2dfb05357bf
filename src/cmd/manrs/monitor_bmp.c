/*
 * monitor_bmp.c - manrs monitor's BMP station (--bmp-listen): routers
 * connect (RFC 7854 section 3.2: the router is the TCP client) and send
 * BMP; every message goes through the library's decoder (manrs/bmp.h)
 * and every Route Monitoring UPDATE into the monitor engine, on the
 * shared daemon layer (daemon.h: caps, privilege drop, seccomp, logging,
 * /metrics).
 *
 * Which routes count: a monitored peer's pre-policy Adj-RIB-In (what the
 * neighbour sent, the view route collectors give), and Loc-RIB (RFC 9069
 * peer type 3) as one peer per router.  Post-policy Adj-RIB-In and
 * Adj-RIB-Out (RFC 8671) messages are counted and not fed: they repeat a
 * peer's routes after the router's own policy and would count one peer
 * twice.  A peer is (peer AS, peer address); Loc-RIB uses the router's
 * address.  Peer Down, Termination and a closed session withdraw what
 * that session's peers announced.  The clock of the alerts is the
 * station's (the router's timestamps may be off).  ADD-PATH (RFC 7911)
 * NLRI are read with their path identifiers when the peer's Peer Up
 * shows the router receiving them for that family.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/event.h>

#include <manrs/bmp.h>
#include <manrs/monitor.h>

#include "daemon.h"
#include "monitor_bmp.h"
#include "monitor_hook.h"

#define BMP_TYPES	7

struct bmp_peer {
	uint32_t	 as;
	uint8_t		 af;
	uint8_t		 addr[16];
};

/* A peer's ADD-PATH receive state, from its Peer Up (RFC 7911). */
struct bmp_addpath {
	struct bmp_peer	 peer;
	bool		 v4, v6;
};

struct bmp_station {
	struct manrs_monitor *m;
	struct daemon	*dmn;
	struct event	*tick;
	const struct monitor_rpki_ops *rpki;
	unsigned	 ticks;
	uint64_t	 msgs[BMP_TYPES];
	uint64_t	 bad;
	uint64_t	 not_fed;	/* post-policy, Adj-RIB-Out */
	uint64_t	 sessions_total;
	unsigned	 sessions;
};

struct bmp_sess {
	struct bmp_station *st;
	struct manrs_bmp_stream *s;
	struct bmp_peer	*peers;
	size_t		 npeers, cap;
	struct bmp_addpath *ap;
	size_t		 nap, apcap;
	uint8_t		 router_af;
	uint8_t		 router_addr[16];
	uint64_t	 msgs;
};

static void *
sess_accepted(struct daemon_conn *c)
{
	struct bmp_station *st = daemon_conn_arg(c);
	const struct sockaddr *sa = daemon_conn_addr(c);
	struct bmp_sess *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->s = manrs_bmp_stream_new()) == NULL) {
		free(s);
		return NULL;
	}
	s->st = st;
	if (sa != NULL && sa->sa_family == AF_INET6) {
		s->router_af = MANRS_AF_INET6;
		memcpy(s->router_addr,
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    16);
	} else if (sa != NULL && sa->sa_family == AF_INET) {
		s->router_af = MANRS_AF_INET;
		memcpy(s->router_addr,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    4);
	}
	/* BMP has no keepalive: a quiet router is not an idle client */
	daemon_conn_set_idle(c, 0);
	st->sessions++;
	st->sessions_total++;
	daemon_log(LOG_INFO, "bmp: router %s connected", daemon_conn_peer(c));
	return s;
}

static int
sess_peer(struct bmp_sess *s, const struct manrs_bmp_msg *m,
    struct bmp_peer *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->as = m->peer.asn;
	if (m->loc_rib) {
		p->af = s->router_af;
		memcpy(p->addr, s->router_addr, 16);
	} else {
		p->af = m->peer.af;
		memcpy(p->addr, m->peer.addr, 16);
	}
	for (i = 0; i < s->npeers; i++)
		if (memcmp(&s->peers[i], p, sizeof(*p)) == 0)
			return 0;
	if (manrs_grow((void **)&s->peers, &s->cap, s->npeers,
	    sizeof(*s->peers)) != 0)
		return MANRS_E_NOMEM;
	s->peers[s->npeers++] = *p;
	return 0;
}

static void
sess_peer_gone(struct bmp_sess *s, const struct bmp_peer *p)
{
	size_t i;

	manrs_monitor_peer_down(s->st->m, p->as, p->af, p->addr,
	    (uint64_t)time(NULL));
	for (i = 0; i < s->npeers; i++)
		if (memcmp(&s->peers[i], p, sizeof(*p)) == 0) {
			s->peers[i] = s->peers[--s->npeers];
			break;
		}
}

static void
sess_all_gone(struct bmp_sess *s)
{
	while (s->npeers > 0)
		sess_peer_gone(s, &s->peers[s->npeers - 1]);
}

/*
 * ADD-PATH capabilities (RFC 7911 section 4) of a BGP OPEN: bit 0 set
 * when it can send IPv4 unicast paths, bit 1 IPv6; bits 2/3 the same
 * for receive.  Optional parameters in the RFC 9072 extended form are
 * not read (no ADD-PATH assumed).
 */
static unsigned
open_addpath(const uint8_t *pdu, size_t len)
{
	struct manrs_reader r, opt, cap;
	uint8_t optlen, ptype, plen, code, clen, sr;
	uint16_t afi;
	uint8_t safi;
	unsigned bits = 0, af;

	if (len < 19 + 10)
		return 0;
	manrs_reader_init(&r, pdu + 19, len - 19, 0);
	manrs_reader_skip(&r, 9);
	manrs_reader_u8(&r, &optlen);
	if (r.err != 0 || optlen == 255 ||
	    manrs_reader_sub(&r, optlen, &opt) != 0)
		return 0;
	while (manrs_reader_left(&opt) >= 2) {
		manrs_reader_u8(&opt, &ptype);
		manrs_reader_u8(&opt, &plen);
		if (manrs_reader_sub(&opt, plen, &cap) != 0)
			break;
		if (ptype != 2)
			continue;
		while (manrs_reader_left(&cap) >= 2) {
			struct manrs_reader v;

			manrs_reader_u8(&cap, &code);
			manrs_reader_u8(&cap, &clen);
			if (manrs_reader_sub(&cap, clen, &v) != 0)
				break;
			if (code != 69)
				continue;
			while (manrs_reader_left(&v) >= 4) {
				manrs_reader_u16(&v, &afi);
				manrs_reader_u8(&v, &safi);
				manrs_reader_u8(&v, &sr);
				if (safi != MANRS_SAFI_UNICAST)
					continue;
				af = afi == MANRS_AFI_IPV4 ? 0 :
				    afi == MANRS_AFI_IPV6 ? 1 : 2;
				if (af == 2)
					continue;
				if (sr & 2)
					bits |= 1u << af;	/* send */
				if (sr & 1)
					bits |= 4u << af;	/* receive */
			}
		}
	}
	return bits;
}

/* Peer Up: does the router receive ADD-PATH NLRI from this peer? */
static int
sess_peer_up(struct bmp_sess *s, const struct manrs_bmp_msg *m)
{
	unsigned local = open_addpath(m->sent_open, m->sent_open_len);
	unsigned remote = open_addpath(m->recv_open, m->recv_open_len);
	struct bmp_addpath a;
	size_t i;

	memset(&a, 0, sizeof(a));
	a.peer.as = m->peer.asn;
	a.peer.af = m->peer.af;
	memcpy(a.peer.addr, m->peer.addr, 16);
	/* we receive when we said receive and the peer said send */
	a.v4 = (local & 4) && (remote & 1);
	a.v6 = (local & 8) && (remote & 2);
	for (i = 0; i < s->nap; i++)
		if (memcmp(&s->ap[i].peer, &a.peer, sizeof(a.peer)) == 0) {
			s->ap[i] = a;
			return 0;
		}
	if (!a.v4 && !a.v6)
		return 0;
	if (manrs_grow((void **)&s->ap, &s->apcap, s->nap,
	    sizeof(*s->ap)) != 0)
		return MANRS_E_NOMEM;
	s->ap[s->nap++] = a;
	return 0;
}

static unsigned
sess_addpath(const struct bmp_sess *s, const struct bmp_peer *p)
{
	size_t i;

	for (i = 0; i < s->nap; i++)
		if (memcmp(&s->ap[i].peer, p, sizeof(*p)) == 0)
			return (s->ap[i].v4 ? MANRS_MONITOR_ADDPATH_V4 : 0) |
			    (s->ap[i].v6 ? MANRS_MONITOR_ADDPATH_V6 : 0);
	return 0;
}

static void
sess_message(struct daemon_conn *c, struct bmp_sess *s,
    const struct manrs_bmp_msg *m)
{
	struct bmp_station *st = s->st;
	struct bmp_peer p;
	int rc;

	if (m->type < BMP_TYPES)
		st->msgs[m->type]++;
	s->msgs++;
	switch (m->type) {
	case MANRS_BMP_ROUTE_MONITORING:
		if (m->post_policy || m->adj_rib_out) {
			st->not_fed++;
			return;
		}
		if (sess_peer(s, m, &p) != 0) {
			daemon_conn_abort(c, "out of memory");
			return;
		}
		/* Loc-RIB carries no path identifiers (RFC 9069 4.1) */
		rc = manrs_monitor_update(st->m, p.as, p.af, p.addr,
		    (uint64_t)time(NULL), m->bgp + 19, m->bgp_len - 19,
		    m->asn_size, m->loc_rib ? 0 : sess_addpath(s, &p));
		if (rc == MANRS_E_NOMEM || rc == MANRS_E_LIMIT) {
			daemon_log(LOG_ERR, "bmp: %s: %s", daemon_conn_peer(c),
			    manrs_strerror(rc));
			daemon_conn_abort(c, "monitor limit");
		} else if (rc != 0)
			st->bad++;
		return;
	case MANRS_BMP_PEER_DOWN:
		if (m->post_policy || m->adj_rib_out)
			return;
		memset(&p, 0, sizeof(p));
		p.as = m->peer.asn;
		p.af = m->loc_rib ? s->router_af : m->peer.af;
		memcpy(p.addr, m->loc_rib ? s->router_addr : m->peer.addr, 16);
		daemon_log(LOG_INFO, "bmp: %s: peer AS%u down (reason %u)",
		    daemon_conn_peer(c), p.as, m->down_reason);
		sess_peer_gone(s, &p);
		return;
	case MANRS_BMP_PEER_UP:
		if (!m->loc_rib && sess_peer_up(s, m) != 0) {
			daemon_conn_abort(c, "out of memory");
			return;
		}
		memset(&p, 0, sizeof(p));
		p.as = m->peer.asn;
		p.af = m->peer.af;
		memcpy(p.addr, m->peer.addr, 16);
		daemon_log(LOG_INFO, "bmp: %s: peer AS%u up%s",
		    daemon_conn_peer(c), m->peer.asn,
		    sess_addpath(s, &p) != 0 ? " (ADD-PATH)" : "");
		return;
	case MANRS_BMP_TERMINATION:
		daemon_log(LOG_INFO, "bmp: %s: termination",
		    daemon_conn_peer(c));
		sess_all_gone(s);
		return;
	default:
		return;
	}
}

static size_t
sess_input(struct daemon_conn *c, const uint8_t *p, size_t len)
{
	struct bmp_sess *s = daemon_conn_data(c);
	struct manrs_bmp_msg m;
	uint64_t off;
	size_t before;
	int rc;

	if ((rc = manrs_bmp_stream_feed(s->s, p, len)) != 0) {
		daemon_log(LOG_WARNING, "bmp: %s: %s", daemon_conn_peer(c),
		    manrs_strerror(rc));
		daemon_conn_abort(c, "BMP input over the limit");
		return len;
	}
	for (;;) {
		before = manrs_bmp_stream_pending(s->s);
		rc = manrs_bmp_stream_next(s->s, &m, &off);
		if (rc == 0)
			break;
		if (rc == 1) {
			sess_message(c, s, &m);
			if (daemon_conn_closing(c))
				break;
			continue;
		}
		s->st->bad++;
		if (manrs_bmp_stream_pending(s->s) == before) {
			/* framing: nothing after this can be trusted */
			daemon_log(LOG_WARNING, "bmp: %s: %s in a common "
			    "header (RFC 7854 section 4.1); closing",
			    daemon_conn_peer(c), manrs_strerror(rc));
			daemon_conn_abort(c, "BMP framing error");
			break;
		}
		daemon_log(LOG_WARNING, "bmp: %s: byte %llu: message "
		    "skipped: %s", daemon_conn_peer(c),
		    (unsigned long long)off, manrs_strerror(rc));
	}
	daemon_conn_set_partial(c, false);
	return len;
}

static void
sess_eof(struct daemon_conn *c)
{
	daemon_conn_close(c);
}

static void
sess_closed(struct daemon_conn *c, const char *why)
{
	struct bmp_sess *s = daemon_conn_data(c);

	if (s == NULL)
		return;
	daemon_log(LOG_INFO, "bmp: router %s gone (%s) after %llu messages",
	    daemon_conn_peer(c), why, (unsigned long long)s->msgs);
	sess_all_gone(s);
	s->st->sessions--;
	manrs_bmp_stream_free(s->s);
	free(s->ap);
	free(s->peers);
	free(s);
}

static const struct daemon_conn_ops bmp_conn_ops = {
	.accepted = sess_accepted,
	.input = sess_input,
	.eof = sess_eof,
	.closed = sess_closed,
};

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct bmp_station *st = arg;

	(void)fd;
	(void)what;
	manrs_monitor_tick(st->m, (uint64_t)time(NULL));
	st->ticks++;
	if (st->rpki == NULL)
		return;
	if (st->rpki->minute != NULL && st->ticks % 60 == 0)
		st->rpki->minute(st->rpki->arg);
	if (st->rpki->refresh > 0 && st->ticks % st->rpki->refresh == 0)
		daemon_reload(st->dmn, "--vrps-refresh");
}

static void *
rpki_load(void *arg, int *err)
{
	struct bmp_station *st = arg;

	return st->rpki->load(st->rpki->arg, err);
}

static enum daemon_reload_result
rpki_apply(void *arg, const char *why, void *data, int err)
{
	struct bmp_station *st = arg;

	(void)why;
	(void)err;
	if (data == NULL)
		return DAEMON_RELOAD_FAILED;
	st->rpki->apply(st->rpki->arg, data);
	return DAEMON_RELOAD_CHANGED;
}

static void
rpki_discard(void *arg, void *data)
{
	struct bmp_station *st = arg;

	st->rpki->discard(st->rpki->arg, data);
}

static const struct daemon_reload_ops bmp_reload_ops = {
	.load = rpki_load,
	.apply = rpki_apply,
	.discard = rpki_discard,
};

static void
bmp_metrics(void *arg, struct manrs_buf *b)
{
	static const char *const names[BMP_TYPES] = {
		"route-monitoring", "statistics-report", "peer-down",
		"peer-up", "initiation", "termination", "route-mirroring",
	};
	struct bmp_station *st = arg;
	struct manrs_monitor_stats ms;
	int i;

	manrs_monitor_stats(st->m, &ms);
	daemon_metric_head(b, "manrs_monitor_bmp_messages_total", "counter",
	    "BMP messages received, by type (RFC 7854 section 4.1).");
	for (i = 0; i < BMP_TYPES; i++)
		manrs_buf_printf(b, "manrs_monitor_bmp_messages_total"
		    "{type=\"%s\"} %llu\n", names[i],
		    (unsigned long long)st->msgs[i]);
	manrs_buf_printf(b,
	    "# HELP manrs_monitor_bmp_errors_total BMP messages or UPDATEs "
	    "that did not decode.\n"
	    "# TYPE manrs_monitor_bmp_errors_total counter\n"
	    "manrs_monitor_bmp_errors_total %llu\n"
	    "# HELP manrs_monitor_bmp_not_fed_total Post-policy and "
	    "Adj-RIB-Out route messages (not fed to the monitors).\n"
	    "# TYPE manrs_monitor_bmp_not_fed_total counter\n"
	    "manrs_monitor_bmp_not_fed_total %llu\n"
	    "# HELP manrs_monitor_bmp_sessions Routers connected now.\n"
	    "# TYPE manrs_monitor_bmp_sessions gauge\n"
	    "manrs_monitor_bmp_sessions %u\n"
	    "# HELP manrs_monitor_routes_total Routes fed to the monitors.\n"
	    "# TYPE manrs_monitor_routes_total counter\n"
	    "manrs_monitor_routes_total %llu\n"
	    "# HELP manrs_monitor_alerts_total Alerts raised (repeats "
	    "included).\n"
	    "# TYPE manrs_monitor_alerts_total counter\n"
	    "manrs_monitor_alerts_total %llu\n"
	    "# HELP manrs_monitor_resolved_total Alerts resolved.\n"
	    "# TYPE manrs_monitor_resolved_total counter\n"
	    "manrs_monitor_resolved_total %llu\n"
	    "# HELP manrs_monitor_events_open Events raised and not "
	    "resolved.\n"
	    "# TYPE manrs_monitor_events_open gauge\n"
	    "manrs_monitor_events_open %zu\n"
	    "# HELP manrs_monitor_peers Distinct BGP peers seen.\n"
	    "# TYPE manrs_monitor_peers gauge\nmanrs_monitor_peers %zu\n",
	    (unsigned long long)st->bad, (unsigned long long)st->not_fed,
	    st->sessions, (unsigned long long)ms.routes,
	    (unsigned long long)ms.alerts, (unsigned long long)ms.resolved,
	    ms.open, ms.peers);
	monitor_hook_metrics(b);
}

int
monitor_bmp_run(struct manrs_monitor *m, const struct daemon_opts *o,
    bool banner, const struct monitor_rpki_ops *rpki)
{
	struct bmp_station st;
	struct daemon_config dc;
	struct timeval one = { 1, 0 };
	int rc = -1;

	memset(&st, 0, sizeof(st));
	st.m = m;
	st.rpki = rpki;
	memset(&dc, 0, sizeof(dc));
	dc.conn = &bmp_conn_ops;
	if (rpki != NULL)
		dc.reload = &bmp_reload_ops;	/* SIGHUP */
	dc.metrics = bmp_metrics;
	dc.arg = &st;
	dc.metric_prefix = "manrs_monitor";
	dc.banner = banner ? "bmp" : NULL;
	if ((st.dmn = daemon_new(&dc, o)) == NULL)
		return -1;
	if (daemon_start(st.dmn) != 0)
		goto out;
	st.tick = event_new(daemon_base(st.dmn), -1, EV_PERSIST, on_tick,
	    &st);
	if (st.tick == NULL || event_add(st.tick, &one) != 0)
		goto out;
	rc = daemon_run(st.dmn);
out:
	if (st.tick != NULL)
		event_free(st.tick);
	daemon_free(st.dmn);
	return rc;
}
