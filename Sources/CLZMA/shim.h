#ifndef CLZMA_SHIM_H
#define CLZMA_SHIM_H

#include <lzma.h>

/* LZMA_STREAM_INIT is a compound-literal macro, which Swift cannot import. */
static inline void clzma_stream_init(lzma_stream *stream) {
    lzma_stream initial = LZMA_STREAM_INIT;
    *stream = initial;
}

/* Decode .xz streams, concatenated ones too, with no memory limit beyond what the stream declares. */
static inline lzma_ret clzma_stream_decoder(lzma_stream *stream) {
    return lzma_stream_decoder(stream, UINT64_MAX, LZMA_CONCATENATED);
}

#endif
