/*
 * manrs/manrs.h - umbrella header for libmanrs.
 */
#ifndef MANRS_MANRS_H
#define MANRS_MANRS_H

#include <manrs/util.h>
#include <manrs/provenance.h>
#include <manrs/u32map.h>
#include <manrs/prefix.h>
#include <manrs/trie.h>
#include <manrs/aggregate.h>
#include <manrs/bogon.h>
#include <manrs/sav.h>
#include <manrs/vrp.h>
#include <manrs/rtr.h>
#include <manrs/bgp.h>
#include <manrs/bmp.h>
#include <manrs/mrt.h>
#include <manrs/render.h>
#include <manrs/irrq.h>
#include <manrs/rpsl.h>
#include <manrs/irrdb.h>
#include <manrs/filter.h>
#include <manrs/whois.h>
#include <manrs/asgraph.h>
#include <manrs/peeringdb.h>
#include <manrs/spoofer.h>
#include <manrs/audit.h>
#include <manrs/monitor.h>

#endif /* MANRS_MANRS_H */
