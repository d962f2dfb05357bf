/*
 * routercfg_ios.h - the parser state FRR, Cisco IOS and Arista EOS share
 * (routercfg_frr.c), and the IOS/EOS parts (routercfg_ios.c).  Never
 * installed.
 */
#ifndef MANRS_ROUTERCFG_IOS_H
#define MANRS_ROUTERCFG_IOS_H

#include "routercfg_int.h"

enum ctx { C_TOP, C_BGP, C_AF, C_RMAP, C_IFACE, C_RPKI, C_OTHER,
	C_ACL, C_PLIST };

struct frr {
	struct manrs_rc	*rc;
	enum ctx	 ctx;
	int		 af;		/* 0 IPv4, 1 IPv6, -1 other */
	struct rc_rule	*rule;
	uint32_t	 rmap;
	bool		 v4_default;	/* bgp default ipv4-unicast */
	uint32_t	 line;
	size_t		 ifc;		/* C_IFACE: the interface */
	/* IOS / EOS */
	uint32_t	 maxas;		/* IOS bgp maxas-limit, or 0 */
	uint32_t	 maxas_line;
	uint32_t	 acl;		/* C_ACL: policy */
	bool		 acl_std;	/* standard ACL: source only */
	uint32_t	 acl_seq;
	char		 plname[MANRS_RC_NAME_MAX];	/* EOS C_PLIST */
	int		 plaf;
};

/* "ip prefix-list NAME [seq N] permit|deny PREFIX|any [ge N] [le N]"
 * (t[2] is NAME, t[3] on the entry). */
void	rc_frr_prefix_list(struct frr *f, struct manrs_view *t, size_t n,
	    int af);

/* An IOS / EOS line the shared parser does not know: true when taken. */
bool	rc_ios_line(struct frr *f, struct manrs_view line,
	    struct manrs_view *t, size_t n);
/* Shared with IOS-XR (routercfg_iosxr.c): an ACL's policy ("acl NAME"),
 * one ACL entry from t[0] ("[SEQ] permit|deny ..."), one interface line
 * (t[0] "ip", "ipv4" or "ipv6") of interface f->ifc. */
uint32_t rc_ios_acl_policy(struct frr *f, struct manrs_view name,
	    bool define);
void	rc_ios_acl_entry(struct frr *f, uint32_t pol, bool std,
	    struct manrs_view *t, size_t n);
void	rc_ios_iface(struct frr *f, struct manrs_view *t, size_t n);
/* After the last line: ACLs applied but never defined. */
void	rc_ios_finish(struct frr *f);

#endif /* MANRS_ROUTERCFG_IOS_H */
