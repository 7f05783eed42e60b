#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H

/* The 8-bit library: kernel logs are bytes, mostly UTF-8. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* PCRE2_UNSET is a cast macro, which Swift cannot import. */
static inline PCRE2_SIZE cpcre2_unset(void) { return PCRE2_UNSET; }

#endif
