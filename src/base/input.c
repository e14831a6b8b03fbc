/* input.c — plain and gzip input, and a line reader. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <isa-l/igzip_lib.h>

#include "base/alloc.h"
#include "base/input.h"
#include "base/log.h"

#define INPUT_RAW_BUF (1u << 20)

struct ts_input {
	int fd;
	char *name;
	uint64_t raw_size;
	uint64_t raw_pos;
	uint64_t pos;
	bool gzip;
	bool raw_eof;
	bool member_done;   /* the current gzip member ended */
	/* bytes read ahead: the magic sniff for plain files, compressed data for gzip */
	unsigned char *raw;
	size_t raw_len;
	size_t raw_off;
	struct inflate_state *inf;
};

static int raw_fill(ts_input_t *in)
{
	if (in->raw_off > 0 && in->raw_off < in->raw_len)
		memmove(in->raw, in->raw + in->raw_off, in->raw_len - in->raw_off);
	in->raw_len -= in->raw_off;
	in->raw_off = 0;
	while (!in->raw_eof && in->raw_len < INPUT_RAW_BUF) {
		ssize_t r = read(in->fd, in->raw + in->raw_len, INPUT_RAW_BUF - in->raw_len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ts_log(TS_LOG_ERR, "%s: read error: %s", in->name, strerror(errno));
			return TS_EIO;
		}
		if (r == 0) {
			in->raw_eof = true;
			break;
		}
		in->raw_len += (size_t)r;
		in->raw_pos += (uint64_t)r;
		if (!in->gzip)
			break; /* the sniff needs only the first bytes */
	}
	return TS_OK;
}

int ts_input_open(ts_input_t **out, const char *path)
{
	*out = NULL;
	ts_input_t *in = ts_calloc(1, sizeof(*in));
	if (in == NULL)
		return TS_ENOMEM;
	int ret = TS_ENOMEM;
	bool is_stdin = strcmp(path, "-") == 0;
	in->fd = -1;
	in->name = ts_strdup(is_stdin ? "<stdin>" : path);
	in->raw = ts_malloc(INPUT_RAW_BUF);
	if (in->name == NULL || in->raw == NULL)
		goto fail;
	in->fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0) {
		ts_log(TS_LOG_ERR, "%s: cannot open: %s", path, strerror(errno));
		ret = TS_EINPUT;
		goto fail;
	}
	struct stat st;
	if (fstat(in->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			ts_log(TS_LOG_ERR, "%s: cannot open: is a directory", path);
			ret = TS_EINPUT;
			goto fail;
		}
		if (S_ISREG(st.st_mode))
			in->raw_size = (uint64_t)st.st_size;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	/* Sniff the magic bytes: read until two bytes or the end. */
	while (in->raw_len < 2 && !in->raw_eof) {
		in->raw_off = 0;
		ret = raw_fill(in);
		if (ret != TS_OK)
			goto fail;
	}
	if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->gzip = true;
		in->inf = ts_malloc(sizeof(*in->inf));
		if (in->inf == NULL) {
			ret = TS_ENOMEM;
			goto fail;
		}
		isal_inflate_init(in->inf);
		in->inf->crc_flag = ISAL_GZIP;
	}
	*out = in;
	return TS_OK;
fail:
	ts_input_close(&in);
	return ret;
}

int ts_input_open_mem(ts_input_t **out, const char *name, const void *data, size_t len)
{
	*out = NULL;
	ts_input_t *in = ts_calloc(1, sizeof(*in));
	if (in == NULL)
		return TS_ENOMEM;
	in->fd = -1;
	in->name = ts_strdup(name);
	in->raw = ts_malloc(len ? len : 1);
	if (in->name == NULL || in->raw == NULL) {
		ts_input_close(&in);
		return TS_ENOMEM;
	}
	if (len > 0)
		memcpy(in->raw, data, len);
	in->raw_len = len;
	in->raw_size = in->raw_pos = len;
	in->raw_eof = true;
	if (len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->gzip = true;
		in->inf = ts_malloc(sizeof(*in->inf));
		if (in->inf == NULL) {
			ts_input_close(&in);
			return TS_ENOMEM;
		}
		isal_inflate_init(in->inf);
		in->inf->crc_flag = ISAL_GZIP;
	}
	*out = in;
	return TS_OK;
}

static int gzip_read(ts_input_t *in, unsigned char *buf, size_t cap, size_t *got)
{
	struct inflate_state *st = in->inf;
	*got = 0;
	while (*got == 0) {
		if (in->member_done) {
			/* Another member may follow; anything else is trailing garbage. */
			if (in->raw_len - in->raw_off < 2 && !in->raw_eof) {
				int ret = raw_fill(in);
				if (ret != TS_OK)
					return ret;
			}
			size_t left = in->raw_len - in->raw_off;
			if (left == 0 && in->raw_eof)
				return TS_OK;
			const unsigned char *p = in->raw + in->raw_off;
			if (left < 2 || p[0] != 0x1f || p[1] != 0x8b) {
				ts_log(TS_LOG_ERR, "%s: trailing garbage after gzip data", in->name);
				return TS_EINPUT;
			}
			isal_inflate_reset(st);
			st->crc_flag = ISAL_GZIP;
			in->member_done = false;
		}
		if (in->raw_off == in->raw_len && !in->raw_eof) {
			int ret = raw_fill(in);
			if (ret != TS_OK)
				return ret;
		}
		st->next_in = in->raw + in->raw_off;
		st->avail_in = (uint32_t)(in->raw_len - in->raw_off);
		st->next_out = buf;
		st->avail_out = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
		int r = isal_inflate(st);
		in->raw_off = (size_t)(st->next_in - in->raw);
		*got = (size_t)(st->next_out - buf);
		if (r != ISAL_DECOMP_OK) {
			ts_log(TS_LOG_ERR, "%s: corrupt gzip data (igzip error %d)", in->name, r);
			return TS_EINPUT;
		}
		if (st->block_state == ISAL_BLOCK_FINISH) {
			in->member_done = true;
		} else if (*got == 0 && in->raw_off == in->raw_len && in->raw_eof) {
			ts_log(TS_LOG_ERR, "%s: truncated gzip data", in->name);
			return TS_EINPUT;
		}
	}
	return TS_OK;
}

int ts_input_read(ts_input_t *in, void *buf, size_t cap, size_t *got)
{
	*got = 0;
	if (cap == 0)
		return TS_OK;
	if (in->gzip) {
		int ret = gzip_read(in, buf, cap, got);
		in->pos += *got;
		return ret;
	}
	if (in->raw_off < in->raw_len) {
		size_t n = in->raw_len - in->raw_off;
		if (n > cap)
			n = cap;
		memcpy(buf, in->raw + in->raw_off, n);
		in->raw_off += n;
		*got = n;
		in->pos += n;
		return TS_OK;
	}
	if (in->raw_eof)
		return TS_OK;
	for (;;) {
		ssize_t r = read(in->fd, buf, cap);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ts_log(TS_LOG_ERR, "%s: read error: %s", in->name, strerror(errno));
			return TS_EIO;
		}
		if (r == 0)
			in->raw_eof = true;
		*got = (size_t)r;
		in->raw_pos += (uint64_t)r;
		in->pos += (uint64_t)r;
		return TS_OK;
	}
}

const char *ts_input_name(const ts_input_t *in) { return in->name; }
uint64_t ts_input_raw_size(const ts_input_t *in) { return in->raw_size; }
uint64_t ts_input_raw_pos(const ts_input_t *in) { return in->raw_pos; }
uint64_t ts_input_pos(const ts_input_t *in) { return in->pos; }
bool ts_input_is_gzip(const ts_input_t *in) { return in->gzip; }

void ts_input_close(ts_input_t **inp)
{
	if (inp == NULL || *inp == NULL)
		return;
	ts_input_t *in = *inp;
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	ts_free(in->inf);
	ts_free(in->raw);
	ts_free(in->name);
	ts_free(in);
	*inp = NULL;
}

/* ---- line reader ---- */

#define LINES_BUF (1u << 20)

struct ts_lines {
	ts_input_t *in;
	char *buf;
	size_t cap;
	size_t len;
	size_t off;
	size_t max_line;
	unsigned long lineno;
	bool eof;
};

int ts_lines_open(ts_lines_t **out, ts_input_t *in, size_t max_line)
{
	*out = NULL;
	ts_lines_t *lr = ts_calloc(1, sizeof(*lr));
	if (lr == NULL)
		return TS_ENOMEM;
	lr->cap = max_line + 2 > LINES_BUF ? max_line + 2 : LINES_BUF;
	lr->buf = ts_malloc(lr->cap);
	if (lr->buf == NULL) {
		ts_free(lr);
		return TS_ENOMEM;
	}
	lr->in = in;
	lr->max_line = max_line;
	*out = lr;
	return TS_OK;
}

static int lines_fill(ts_lines_t *lr)
{
	if (lr->off > 0) {
		memmove(lr->buf, lr->buf + lr->off, lr->len - lr->off);
		lr->len -= lr->off;
		lr->off = 0;
	}
	size_t got = 0;
	int ret = ts_input_read(lr->in, lr->buf + lr->len, lr->cap - lr->len, &got);
	if (ret != TS_OK)
		return ret;
	if (got == 0)
		lr->eof = true;
	lr->len += got;
	return TS_OK;
}

int ts_lines_next(ts_lines_t *lr, const char **line, size_t *len,
                  unsigned long *lineno, bool *eof)
{
	*eof = false;
	bool too_long = false;
	for (;;) {
		char *start = lr->buf + lr->off;
		char *nl = memchr(start, '\n', lr->len - lr->off);
		if (nl != NULL || (lr->eof && lr->off < lr->len)) {
			size_t n = nl != NULL ? (size_t)(nl - start) : lr->len - lr->off;
			lr->off += n + (nl != NULL);
			*lineno = ++lr->lineno;
			if (too_long)
				return TS_ELIMIT;
			if (n > 0 && start[n - 1] == '\r')
				n--;
			if (n > lr->max_line)
				return TS_ELIMIT;
			*line = start;
			*len = n;
			return TS_OK;
		}
		if (lr->eof) {
			if (too_long) {
				*lineno = ++lr->lineno;
				return TS_ELIMIT;
			}
			*eof = true;
			return TS_OK;
		}
		if (lr->len - lr->off >= lr->max_line + 1) {
			/* Longer than allowed: drop what we have and skip to its end. */
			too_long = true;
			lr->off = lr->len;
		}
		int ret = lines_fill(lr);
		if (ret != TS_OK)
			return ret;
	}
}

void ts_lines_close(ts_lines_t **lrp)
{
	if (lrp == NULL || *lrp == NULL)
		return;
	ts_free((*lrp)->buf);
	ts_free(*lrp);
	*lrp = NULL;
}
