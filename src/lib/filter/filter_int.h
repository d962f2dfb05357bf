/*
 * filter_int.h - the filter job's state, shared by filter.c (objects,
 * expansion, policy) and filter_result.c (fold, render, explain, gates).
 * Never installed.
 */
#ifndef MANRS_FILTER_INT_H
#define MANRS_FILTER_INT_H

#include <stdarg.h>

#include <manrs/filter.h>
#include <manrs/trie.h>

struct filter_strvec {
	char	**v;
	size_t	  n, cap;
};

struct manrs_filter {
	struct manrs_filter_opts o;
	unsigned	 maxlen;	/* resolved -m */
	/* objects */
	const char	**sets, **rsets;
	size_t		 nsets, csets, nrsets, crsets;
	uint32_t	*cli_asns;
	size_t		 ncli_asns, ccli_asns;
	struct manrs_prefix_range *prefixes;
	bool		*pdash;		/* "^n-m" form, per prefixes[] */
	size_t		 nprefixes, cprefixes, cpdash;
	struct filter_strvec stop;	/* EXCEPT objects */
	struct filter_strvec already;	/* sets walked (manual mode) */
	/* a run */
	bool		 ran;
	const struct manrs_filter_data *data;
	struct manrs_irrdb_sel sel;
	struct manrs_irrdb_asns asns;	/* ASNs (as-path lists, rpki_add) */
	struct manrs_trie *trie;
	struct manrs_prefix *pend;	/* gathered, not yet in the trie */
	size_t		 npend, cpend;
	uint64_t	 routes, bogon_prefixes, bogon_asns, rpki_dropped,
			 rpki_added;
};

/* filter.c */
void	filter_event(struct manrs_filter *f, enum manrs_severity sev,
	    struct manrs_filter_event *ev, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
int	filter_strvec_add(struct filter_strvec *s, const char *p);
bool	filter_strvec_has(const struct filter_strvec *s, const char *p);
void	filter_strvec_free(struct filter_strvec *s);
bool	filter_is_set_name(const char *s);
bool	filter_text_asn(const char *s, uint32_t *asn);
bool	filter_asn_gen(const struct manrs_filter *f);
int	filter_set_members(struct manrs_filter *f, const char *name,
	    struct filter_strvec *out);
int	filter_expand(struct manrs_filter *f);

/* filter_result.c */
int	filter_finish(struct manrs_filter *f, struct manrs_filter_result *res);

#endif /* MANRS_FILTER_INT_H */
