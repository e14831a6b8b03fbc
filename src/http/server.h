/* server.h — tldsec serve: libmicrohttpd (epoll, a pool of worker threads,
 * suspended connections while their request waits for the group commit),
 * optional TLS through libmicrohttpd's GnuTLS support. */
#ifndef TS_HTTP_SERVER_H
#define TS_HTTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "desk/desk.h"

typedef struct server_opts {
	const char *listen;        /* ADDR:PORT (IPv4 or [IPv6]); port 0: any free port */
	unsigned workers;
	const char *tls_cert;      /* PEM files, both or neither */
	const char *tls_key;
} server_opts_t;

typedef struct server server_t;

/* Opens the listening socket and starts serving on `d` (borrowed; used by the
 * server's database thread only). `pol` is borrowed. */
TS_WUR int server_start(server_t **s, desk_t *d, const policy_t *pol, const server_opts_t *o, char *err,
                        size_t errlen);
/* The bound port. */
uint16_t server_port(const server_t *s);
/* Graceful stop: no new connections; requests in flight are answered (up to
 * `grace_ms`), queued work is committed, then everything stops. */
void server_stop(server_t **s, unsigned grace_ms);

#endif
