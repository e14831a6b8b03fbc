/* reporter.c — reporters, their tiers and bearer tokens (32 random bytes
 * from libsodium, shown once, stored as the SHA-256 of the token). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "desk/desk_int.h"

static const char *const tiers[] = { "law_enforcement", "government", "trusted_third_party", "public",
	                             "anonymous" };

const char *desk_tier_static(const char *tier)
{
	for (size_t i = 0; tier != NULL && i < sizeof(tiers) / sizeof(tiers[0]); i++)
		if (strcmp(tier, tiers[i]) == 0)
			return tiers[i];
	return NULL;
}

bool desk_tier_known(const char *tier)
{
	return desk_tier_static(tier) != NULL;
}

static const char *const roles[] = { "reporter", "analyst", "admin", "auditor" };

bool desk_role_known(const char *role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i]) == 0)
			return true;
	return false;
}

static bool isupper_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 'A' || *s > 'Z')
			return false;
	return true;
}

static void token_hash(const char *token, char out[STORE_HASH_HEX])
{
	unsigned char md[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(md, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, STORE_HASH_HEX, md, sizeof(md));
}

int desk_reporter_add(desk_t *d, const desk_reporter_in_t *in, int64_t *id, char token[DESK_TOKEN_TEXT],
                      desk_err_t *err)
{
	int64_t now;
	char hash[STORE_HASH_HEX], detail[256];
	unsigned char raw[32];
	int ret;
	if (in->name == NULL || in->name[0] == '\0' || strlen(in->name) > 200 || strpbrk(in->name, "\r\n") != NULL)
		return desk_fail(err, TS_EINPUT, "--name: 1 to 200 characters on one line");
	if (!desk_tier_known(in->tier))
		return desk_fail(err, TS_EINPUT, "--tier: '%s' is not one of law_enforcement, government, "
		                 "trusted_third_party, public, anonymous", in->tier);
	const char *role = in->role != NULL ? in->role : "reporter";
	if (!desk_role_known(role))
		return desk_fail(err, TS_EINPUT, "--role: '%s' is not one of reporter, analyst, admin, auditor", role);
	if (in->jurisdiction != NULL && (strlen(in->jurisdiction) != 2 || !isupper_ascii(in->jurisdiction)))
		return desk_fail(err, TS_EINPUT, "--jurisdiction: '%s' is not a two-letter country code (US, FR)",
		                 in->jurisdiction);
	if (in->email != NULL && (strchr(in->email, '@') == NULL || strpbrk(in->email, " \t\r\n<>\",;") != NULL))
		return desk_fail(err, TS_EINPUT, "--email: '%s' is not an e-mail address", in->email);
	if ((ret = desk_now(&now, err)) != TS_OK)
		return ret;
	if (sodium_init() < 0)
		return desk_fail(err, TS_EINTERNAL, "libsodium failed to initialise");
	randombytes_buf(raw, sizeof(raw));
	snprintf(token, DESK_TOKEN_TEXT, "tsk_");
	sodium_bin2base64(token + 4, DESK_TOKEN_TEXT - 4, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	token_hash(token, hash);
	store_reporter_t r = { .name = in->name, .tier = in->tier, .jurisdiction = in->jurisdiction,
		               .email = in->email, .verified = in->verified, .created_at = now,
		               .role = role };
	if ((ret = store_begin(d->st)) != TS_OK)
		return desk_store_fail(d, err, ret, "adding the reporter");
	if ((ret = store_reporter_add(d->st, &r, hash, id)) != TS_OK)
		goto fail;
	snprintf(detail, sizeof(detail), "{\"reporter\":%" PRId64 ",\"tier\":\"%s\",\"verified\":%s,\"role\":\"%s\"}", *id,
	         in->tier, in->verified ? "true" : "false", role);
	if ((ret = audit_append(d, now, 0, "reporter.add", detail)) != TS_OK || (ret = store_commit(d->st)) != TS_OK)
		goto fail;
	return TS_OK;
fail:
	store_rollback(d->st);
	sodium_memzero(token, DESK_TOKEN_TEXT);
	return desk_store_fail(d, err, ret, "adding the reporter");
}

int desk_reporter_disable(desk_t *d, int64_t id, desk_err_t *err)
{
	int64_t now;
	char detail[64];
	int ret = desk_now(&now, err);
	if (ret != TS_OK)
		return ret;
	if ((ret = store_begin(d->st)) != TS_OK)
		return desk_store_fail(d, err, ret, "disabling the reporter");
	ret = store_reporter_disable(d->st, id);
	if (ret == TS_ENOTFOUND) {
		store_rollback(d->st);
		return desk_fail(err, TS_ENOTFOUND, "no reporter %" PRId64, id);
	}
	snprintf(detail, sizeof(detail), "{\"reporter\":%" PRId64 "}", id);
	if (ret != TS_OK || (ret = audit_append(d, now, 0, "reporter.disable", detail)) != TS_OK ||
	    (ret = store_commit(d->st)) != TS_OK) {
		store_rollback(d->st);
		return desk_store_fail(d, err, ret, "disabling the reporter");
	}
	return TS_OK;
}

/* The lookup goes through the unique index on the hash; the stored hash is
 * then compared with the computed one by sodium_memcmp, and an absent row
 * costs the same comparison against a dummy, so the decision does not hang
 * on a byte-by-byte comparison of secrets (docs/internals/desk.md). */
int desk_reporter_auth(desk_t *d, const char *token, arena_t *a, store_reporter_t *out, desk_err_t *err)
{
	static const char dummy[STORE_HASH_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";
	char hash[STORE_HASH_HEX];
	const char *stored = dummy;
	token_hash(token, hash);
	int ret = store_reporter_by_token(d->st, hash, a, out);
	if (ret != TS_OK && ret != TS_ENOTFOUND)
		return desk_store_fail(d, err, ret, "checking the token");
	if (ret == TS_OK && out->token_hash != NULL && strlen(out->token_hash) == STORE_HASH_HEX - 1)
		stored = out->token_hash;
	bool same = sodium_memcmp(stored, hash, STORE_HASH_HEX - 1) == 0;
	sodium_memzero(hash, sizeof(hash));
	if (ret == TS_ENOTFOUND || stored == dummy || !same || out->disabled) {
		memset(out, 0, sizeof(*out));
		return desk_fail(err, TS_EDENIED, "unknown or disabled token");
	}
	return TS_OK;
}
