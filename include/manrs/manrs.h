/*
 * manrs/manrs.h - umbrella header for libmanrs.
 */
#ifndef MANRS_MANRS_H
#define MANRS_MANRS_H

#include <manrs/util.h>
#include <manrs/prefix.h>
#include <manrs/trie.h>
#include <manrs/aggregate.h>
#include <manrs/bogon.h>
#include <manrs/sav.h>
#include <manrs/vrp.h>
#include <manrs/rtr.h>
#include <manrs/bgp.h>
#include <manrs/mrt.h>
#include <manrs/render.h>

#endif /* MANRS_MANRS_H */
