/* render_int.h - shared by the render_*.c files. */
#ifndef MANRS_RENDER_INT_H
#define MANRS_RENDER_INT_H

#include <stdio.h>

#include <manrs/render.h>

/* -F: print every range through the user format; -1 on a bad format. */
int	render_format(FILE *f, const struct manrs_render_opts *o,
	    const struct manrs_prefix_range *r, size_t n);

#endif
