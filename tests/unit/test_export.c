/* test_export.c — the export writers: names, EPP commands and their undo,
 * XML escaping, RPZ zones, the reserved list, out-of-memory paths.
 *
 * Run without arguments it is a cmocka suite. The integration tests also use
 * it as a small driver of the writers (the `tldsec export` commands come with
 * the response desk):
 *   test_export epp-all DIR         every command kind and its undo, as DIR/KIND-do.xml, DIR/KIND-undo.xml
 *   test_export rpz OUT ORIGIN SERIAL SINKHOLES NAME...   SINKHOLES: "-" or comma-separated addresses
 *   test_export reserved OUT NAME... */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/num.h"
#include "export/epp.h"
#include "export/names.h"
#include "export/reserved.h"
#include "export/rpz.h"

static void quiet_log(void *user, ts_log_level_t level, const char *file, unsigned long line,
                      unsigned long col, const char *msg)
{
	(void)user; (void)level; (void)file; (void)line; (void)col; (void)msg;
}

static void quiet(void) { ts_log_set(quiet_log, NULL, TS_LOG_DEBUG); }
static void loud(void) { ts_log_set(NULL, NULL, TS_LOG_WARN); }

static const char *const sinkhole_ns[] = { "ns1.sinkhole.example.net", "NS2.Sinkhole.Example.NET." };
static const char *const prior_ns[] = { "ns1.hoster.example.com", "ns2.hoster.example.com" };
static const char *const new_ns[] = { "ns1.registry.example" };

/* A complete description of every kind, as the integration test uses too. */
static epp_action_t sample(epp_kind_t kind)
{
	epp_action_t a;
	memset(&a, 0, sizeof(a));
	a.kind = kind;
	a.domain = "Bad-Site.example.";
	a.case_id = 42;
	a.action_id = 100 + (uint64_t)kind;
	a.reason = "case 42: phishing <login> & \"bank\" 'clone' \xc3\xa9t\xc3\xa9";
	switch (kind) {
	case EPP_REDIRECT:
		a.ns = sinkhole_ns; a.nns = 2;
		a.prior_ns = prior_ns; a.nprior_ns = 2;
		break;
	case EPP_TRANSFER:
		a.gaining_registrar = "registrar-9";
		a.prior_registrar = "registrar-1";
		break;
	case EPP_REGISTER:
		a.domain = "qxkzmwpr.example";
		a.ns = new_ns; a.nns = 1;
		a.auth_info = "s3cret&<pw>";
		break;
	default:
		break;
	}
	return a;
}

static char *render(const epp_action_t *a, epp_dir_t dir, int *ret)
{
	dbuf_t b;
	dbuf_init(&b, 1u << 20);
	*ret = epp_command(a, dir, &b);
	if (*ret != TS_OK) {
		dbuf_free(&b);
		return NULL;
	}
	return dbuf_take(&b);
}

static char *must_render(const epp_action_t *a, epp_dir_t dir)
{
	int ret;
	char *s = render(a, dir, &ret);
	assert_int_equal(ret, TS_OK);
	assert_non_null(s);
	return s;
}

static void assert_has(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		fail_msg("unexpected \"%s\" in:\n%s", needle, hay);
}

/* ---- names ---- */

static void test_names(void **state)
{
	(void)state;
	char out[EXPORT_NAME_MAX + 1];
	size_t len;
	assert_int_equal(export_name_norm("Ex-Ample.COM.", out, &len), TS_OK);
	assert_string_equal(out, "ex-ample.com");
	assert_int_equal(len, 12);
	assert_int_equal(export_name_norm("xn--bcher-kva.example", out, &len), TS_OK);
	const char *bad[] = { "", ".", "a..b", ".a", "-a.b", "a-.b", "a_b.c", "a b.c", "\xc3\xa9.example",
	                      "a.b..", "a.b-", NULL };
	for (size_t i = 0; bad[i] != NULL; i++)
		assert_int_equal(export_name_norm(bad[i], out, &len), TS_EINPUT);
	assert_int_equal(export_name_norm(NULL, out, &len), TS_EINPUT);
	char label[70];
	memset(label, 'a', 63);
	memcpy(label + 63, ".ex", 4);
	assert_int_equal(export_name_norm(label, out, &len), TS_OK);
	memset(label, 'a', 64);
	memcpy(label + 64, ".ex", 4);
	assert_int_equal(export_name_norm(label, out, &len), TS_EINPUT);
	/* 253 characters pass, 254 do not */
	char longname[300];
	size_t p = 0;
	while (p + 2 <= 253) { longname[p++] = 'a'; longname[p++] = '.'; }
	longname[p - 1] = 'b';      /* 252 characters ending in a label */
	longname[p] = '\0';
	assert_int_equal(strlen(longname), 252);
	assert_int_equal(export_name_norm(longname, out, &len), TS_OK);
	memcpy(longname + 252, "c", 2);
	assert_int_equal(export_name_norm(longname, out, &len), TS_OK);
	memcpy(longname + 253, "d", 2);
	assert_int_equal(export_name_norm(longname, out, &len), TS_EINPUT);

	const char *in[] = { "b.example", "A.example.", "b.EXAMPLE", "a.example" };
	export_names_t set;
	assert_int_equal(export_names_sorted(in, 4, "name", &set), TS_OK);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.v[0], "a.example");
	assert_string_equal(set.v[1], "b.example");
	export_names_free(&set);
	export_names_free(&set);   /* a second free is harmless */
	assert_int_equal(export_names_sorted(NULL, 0, "name", &set), TS_OK);
	assert_int_equal(set.n, 0);
	const char *worse[] = { "ok.example", "not ok.example" };
	quiet();
	assert_int_equal(export_names_sorted(worse, 2, "name", &set), TS_EINPUT);
	loud();
	assert_null(set.v);
}

/* ---- EPP ---- */

static void test_kinds(void **state)
{
	(void)state;
	for (unsigned k = 0; k < EPP_KIND_COUNT_; k++) {
		epp_kind_t got;
		assert_int_equal(epp_kind_parse(epp_kind_name((epp_kind_t)k), &got), TS_OK);
		assert_int_equal(got, k);
	}
	epp_kind_t got;
	assert_int_equal(epp_kind_parse("refer-registrar", &got), TS_EINPUT);
	assert_int_equal(epp_kind_parse(NULL, &got), TS_EINPUT);
	assert_string_equal(epp_kind_name(EPP_KIND_COUNT_), "?");
	assert_false(epp_kind_has_command(EPP_BLOCK));
	assert_false(epp_kind_has_command(EPP_RESERVE));
	assert_true(epp_kind_has_command(EPP_SUSPEND));
	/* block and reserve are refused, with a message */
	quiet();
	int ret;
	epp_action_t a = sample(EPP_BLOCK);
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	a = sample(EPP_RESERVE);
	assert_null(render(&a, EPP_UNDO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	loud();
}

static void test_suspend(void **state)
{
	(void)state;
	epp_action_t a = sample(EPP_SUSPEND);
	char *s = must_render(&a, EPP_DO);
	assert_has(s, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
	              "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">\n  <command>\n    <update>\n"
	              "      <domain:update xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\">\n"
	              "        <domain:name>bad-site.example</domain:name>\n"
	              "        <domain:add>\n"
	              "          <domain:status s=\"serverHold\" lang=\"en\">case 42: phishing &lt;login&gt; "
	              "&amp; &quot;bank&quot; &apos;clone&apos; \xc3\xa9t\xc3\xa9</domain:status>\n"
	              "        </domain:add>\n      </domain:update>\n    </update>\n"
	              "    <clTRID>tldsec-42-100-do</clTRID>\n  </command>\n</epp>\n");
	assert_lacks(s, "domain:rem");
	ts_free(s);
	s = must_render(&a, EPP_UNDO);
	assert_has(s, "<domain:rem>\n          <domain:status s=\"serverHold\"/>\n        </domain:rem>");
	assert_has(s, "<clTRID>tldsec-42-100-undo</clTRID>");
	assert_lacks(s, "domain:add");
	ts_free(s);
	/* already on hold: nothing to do either way */
	a.prior_status = EPP_ST_HOLD;
	int ret;
	quiet();
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_ESTATE);
	assert_null(render(&a, EPP_UNDO, &ret));
	assert_int_equal(ret, TS_ESTATE);
	loud();
	/* the default reason names the case */
	a = sample(EPP_SUSPEND);
	a.reason = NULL;
	a.trid_prefix = "reg.A_1";
	s = must_render(&a, EPP_DO);
	assert_has(s, "lang=\"en\">case 42</domain:status>");
	assert_has(s, "<clTRID>reg.A_1-42-100-do</clTRID>");
	ts_free(s);
}

static void test_lock(void **state)
{
	(void)state;
	epp_action_t a = sample(EPP_LOCK);
	char *s = must_render(&a, EPP_DO);
	assert_has(s, "<domain:status s=\"serverUpdateProhibited\" lang=\"en\">");
	assert_has(s, "<domain:status s=\"serverDeleteProhibited\" lang=\"en\">");
	assert_has(s, "<domain:status s=\"serverTransferProhibited\" lang=\"en\">");
	assert_lacks(s, "serverHold");
	ts_free(s);
	/* a status that was there before is neither added nor removed */
	a.prior_status = EPP_ST_DELETE_PROHIBITED | EPP_ST_HOLD;
	s = must_render(&a, EPP_DO);
	assert_lacks(s, "serverDeleteProhibited");
	assert_has(s, "serverUpdateProhibited");
	ts_free(s);
	s = must_render(&a, EPP_UNDO);
	assert_has(s, "<domain:rem>\n          <domain:status s=\"serverUpdateProhibited\"/>\n"
	              "          <domain:status s=\"serverTransferProhibited\"/>\n        </domain:rem>");
	assert_lacks(s, "serverDeleteProhibited");
	assert_lacks(s, "serverHold");
	ts_free(s);
	a.prior_status = 1u << 7;
	int ret;
	quiet();
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	loud();
}

static void test_redirect(void **state)
{
	(void)state;
	epp_action_t a = sample(EPP_REDIRECT);
	char *s = must_render(&a, EPP_DO);
	assert_has(s, "        <domain:add>\n          <domain:ns>\n"
	              "            <domain:hostObj>ns1.sinkhole.example.net</domain:hostObj>\n"
	              "            <domain:hostObj>ns2.sinkhole.example.net</domain:hostObj>\n"
	              "          </domain:ns>\n        </domain:add>\n"
	              "        <domain:rem>\n          <domain:ns>\n"
	              "            <domain:hostObj>ns1.hoster.example.com</domain:hostObj>\n"
	              "            <domain:hostObj>ns2.hoster.example.com</domain:hostObj>\n"
	              "          </domain:ns>\n        </domain:rem>\n");
	ts_free(s);
	s = must_render(&a, EPP_UNDO);
	assert_has(s, "<domain:add>\n          <domain:ns>\n"
	              "            <domain:hostObj>ns1.hoster.example.com</domain:hostObj>\n");
	assert_has(s, "<domain:rem>\n          <domain:ns>\n"
	              "            <domain:hostObj>ns1.sinkhole.example.net</domain:hostObj>\n");
	ts_free(s);
	/* a shared name server stays; no prior name servers: only an add */
	const char *overlap[] = { "ns1.hoster.example.com", "ns9.sinkhole.example.net" };
	a.ns = overlap;
	s = must_render(&a, EPP_DO);
	assert_has(s, "<domain:add>\n          <domain:ns>\n"
	              "            <domain:hostObj>ns9.sinkhole.example.net</domain:hostObj>\n"
	              "          </domain:ns>\n        </domain:add>\n        <domain:rem>\n          <domain:ns>\n"
	              "            <domain:hostObj>ns2.hoster.example.com</domain:hostObj>\n"
	              "          </domain:ns>\n        </domain:rem>\n");
	ts_free(s);
	a.ns = sinkhole_ns;
	a.nprior_ns = 0;
	s = must_render(&a, EPP_DO);
	assert_lacks(s, "domain:rem");
	ts_free(s);
	s = must_render(&a, EPP_UNDO);
	assert_lacks(s, "domain:add");
	assert_has(s, "domain:rem");
	ts_free(s);
	int ret;
	quiet();
	a.nns = 0;
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	a = sample(EPP_REDIRECT);
	a.prior_ns = sinkhole_ns;        /* the same set: no change */
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_ESTATE);
	const char *bad[] = { "ns1.example", "not a host" };
	a.ns = bad;
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	a = sample(EPP_REDIRECT);
	a.nns = EPP_MAX_NS + 1;
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	loud();
}

static void test_transfer_delete_register(void **state)
{
	(void)state;
	epp_action_t a = sample(EPP_TRANSFER);
	char *s = must_render(&a, EPP_DO);
	assert_has(s, "<!-- Submit in an EPP session of registrar registrar-9,");
	assert_has(s, "<transfer op=\"request\">\n      <domain:transfer xmlns:domain=");
	ts_free(s);
	s = must_render(&a, EPP_UNDO);
	assert_has(s, "registrar registrar-1,");
	ts_free(s);
	int ret;
	quiet();
	const char *badreg[] = { NULL, "ab", "registrar--1", "a-registrar-id-longer", "reg 1", "reg-" };
	for (size_t i = 0; i < sizeof(badreg) / sizeof(badreg[0]); i++) {
		a.gaining_registrar = badreg[i];
		assert_null(render(&a, EPP_DO, &ret));
		assert_int_equal(ret, TS_EINPUT);
	}
	a = sample(EPP_TRANSFER);
	a.prior_registrar = "registrar-9";
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_ESTATE);
	a.prior_registrar = NULL;
	assert_null(render(&a, EPP_UNDO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	loud();

	a = sample(EPP_DELETE);
	s = must_render(&a, EPP_DO);
	assert_has(s, "<delete>\n      <domain:delete xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\">\n"
	              "        <domain:name>bad-site.example</domain:name>\n      </domain:delete>\n    </delete>");
	ts_free(s);
	s = must_render(&a, EPP_UNDO);
	assert_has(s, "<domain:chg/>");
	assert_has(s, "<extension>\n      <rgp:update xmlns:rgp=\"urn:ietf:params:xml:ns:rgp-1.0\">\n"
	              "        <rgp:restore op=\"request\"/>");
	assert_has(s, "</extension>\n    <clTRID>tldsec-42-104-undo</clTRID>");
	ts_free(s);

	a = sample(EPP_REGISTER);
	s = must_render(&a, EPP_DO);
	assert_has(s, "<create>\n      <domain:create xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\">\n"
	              "        <domain:name>qxkzmwpr.example</domain:name>\n"
	              "        <domain:period unit=\"y\">1</domain:period>\n"
	              "        <domain:ns>\n          <domain:hostObj>ns1.registry.example</domain:hostObj>\n"
	              "        </domain:ns>\n"
	              "        <domain:registrant>registry-hold</domain:registrant>\n"
	              "        <domain:authInfo>\n          <domain:pw>s3cret&amp;&lt;pw&gt;</domain:pw>\n");
	ts_free(s);
	s = must_render(&a, EPP_UNDO);
	assert_has(s, "<domain:delete xmlns:domain=");
	assert_has(s, "<domain:name>qxkzmwpr.example</domain:name>");
	ts_free(s);
	/* generated authInfo: 16 characters, different each time */
	a.auth_info = NULL;
	a.nns = 0;
	a.period_years = 3;
	a.registrant = "reg-contact";
	char *s1 = must_render(&a, EPP_DO);
	char *s2 = must_render(&a, EPP_DO);
	assert_lacks(s1, "domain:ns");
	assert_has(s1, "<domain:period unit=\"y\">3</domain:period>");
	assert_has(s1, "<domain:registrant>reg-contact</domain:registrant>");
	const char *p1 = strstr(s1, "<domain:pw>");
	const char *p2 = strstr(s2, "<domain:pw>");
	assert_non_null(p1);
	assert_non_null(p2);
	const char *e1 = strstr(p1, "</domain:pw>");
	assert_non_null(e1);
	assert_int_equal(e1 - p1 - 11, EPP_AUTHINFO_LEN);
	assert_true(strncmp(p1, p2, 11 + EPP_AUTHINFO_LEN) != 0);
	ts_free(s1);
	ts_free(s2);
	quiet();
	a.period_years = EPP_MAX_PERIOD + 1;
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	a.period_years = 1;
	a.registrant = "x";
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	a.registrant = NULL;
	a.auth_info = "";
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	a.auth_info = "bad\x01";
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	loud();
}

static void test_escaping_and_checks(void **state)
{
	(void)state;
	epp_action_t a = sample(EPP_SUSPEND);
	a.reason = "line one\nline two\ttab\r";
	char *s = must_render(&a, EPP_DO);
	assert_has(s, ">line one line two tab </domain:status>");
	ts_free(s);
	int ret;
	quiet();
	const char *bad_reasons[] = {
		"nul-free but \x01 control", "del \x7f", "lone continuation \x80", "overlong \xc0\xaf",
		"surrogate \xed\xa0\x80", "cut \xe2\x82", "too high \xf4\x90\x80\x80", "not a char \xef\xbf\xbf",
	};
	for (size_t i = 0; i < sizeof(bad_reasons) / sizeof(bad_reasons[0]); i++) {
		a.reason = bad_reasons[i];
		assert_null(render(&a, EPP_DO, &ret));
		assert_int_equal(ret, TS_EINPUT);
	}
	/* four-byte UTF-8 passes */
	a.reason = "emoji \xf0\x9f\x94\x92";
	loud();
	s = must_render(&a, EPP_DO);
	assert_has(s, "emoji \xf0\x9f\x94\x92<");
	ts_free(s);
	quiet();
	char big[EPP_MAX_REASON + 2];
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	a.reason = big;
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	/* domain names: a registered domain, not a TLD or garbage */
	a = sample(EPP_SUSPEND);
	const char *bad_domains[] = { NULL, "example", "bad&name.example", "<x>.example", "" };
	for (size_t i = 0; i < sizeof(bad_domains) / sizeof(bad_domains[0]); i++) {
		a.domain = bad_domains[i];
		assert_null(render(&a, EPP_DO, &ret));
		assert_int_equal(ret, TS_EINPUT);
	}
	/* clTRID prefix */
	a = sample(EPP_SUSPEND);
	const char *bad_prefix[] = { "", "has space", "seventeen-chars-x", "t<" };
	for (size_t i = 0; i < sizeof(bad_prefix) / sizeof(bad_prefix[0]); i++) {
		a.trid_prefix = bad_prefix[i];
		assert_null(render(&a, EPP_DO, &ret));
		assert_int_equal(ret, TS_EINPUT);
	}
	a = sample(EPP_SUSPEND);
	a.kind = EPP_KIND_COUNT_;
	assert_null(render(&a, EPP_DO, &ret));
	assert_int_equal(ret, TS_EINPUT);
	loud();
}

static void test_cltrids_unique(void **state)
{
	(void)state;
	char seen[2 * EPP_KIND_COUNT_][EPP_TRID_SIZE];
	size_t n = 0;
	for (unsigned k = 0; k < EPP_KIND_COUNT_; k++) {
		for (int d = 0; d < 2; d++) {
			epp_action_t a = sample((epp_kind_t)k);
			assert_int_equal(epp_cltrid(&a, (epp_dir_t)d, seen[n]), TS_OK);
			for (size_t j = 0; j < n; j++)
				assert_string_not_equal(seen[j], seen[n]);
			n++;
		}
	}
	/* the longest identifiers still fit RFC 5730's 64 characters */
	epp_action_t a = sample(EPP_SUSPEND);
	a.trid_prefix = "sixteen-chars-xx";
	a.case_id = UINT64_MAX;
	a.action_id = UINT64_MAX;
	char t[EPP_TRID_SIZE];
	assert_int_equal(epp_cltrid(&a, EPP_UNDO, t), TS_OK);
	assert_true(strlen(t) <= 64);
	assert_string_equal(t, "sixteen-chars-xx-18446744073709551615-18446744073709551615-undo");
}

static void test_epp_write_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/tldsec-export-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	(void)snprintf(path, sizeof(path), "%s/cmd.xml", dir);
	epp_action_t a = sample(EPP_LOCK);
	assert_int_equal(epp_write(&a, EPP_DO, path), TS_OK);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	char buf[4096];
	size_t got = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[got] = '\0';
	fclose(fp);
	char *want = must_render(&a, EPP_DO);
	assert_string_equal(buf, want);
	ts_free(want);
	/* a refused action leaves no file */
	(void)snprintf(path, sizeof(path), "%s/none.xml", dir);
	a = sample(EPP_BLOCK);
	quiet();
	assert_int_equal(epp_write(&a, EPP_DO, path), TS_EINPUT);
	loud();
	assert_int_equal(access(path, F_OK), -1);
	(void)snprintf(path, sizeof(path), "%s/cmd.xml", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* ---- RPZ and the reserved list ---- */

static char *rpz_text(const rpz_opts_t *o, const char *const *names, size_t n, int *ret)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&mem, &len);
	assert_non_null(fp);
	*ret = rpz_write_fp(o, names, n, fp);
	assert_int_equal(fclose(fp), 0);
	return mem;
}

static void test_rpz(void **state)
{
	(void)state;
	const char *names[] = { "Bad.example", "qxkzmwpr.example.", "bad.example", "a.example" };
	rpz_opts_t o = { .origin = "rpz.example", .now = 1767312000 };
	int ret;
	char *s = rpz_text(&o, names, 4, &ret);
	assert_int_equal(ret, TS_OK);
	assert_string_equal(s,
		"; Response policy zone written by tldsec: 3 names, answered NXDOMAIN\n"
		"$TTL 300\n"
		"rpz.example.\t300\tIN\tSOA\tlocalhost. hostmaster.rpz.example. 1767312000 3600 600 604800 300\n"
		"rpz.example.\t300\tIN\tNS\tlocalhost.\n"
		"a.example.rpz.example.\t300\tIN\tCNAME\t.\n"
		"*.a.example.rpz.example.\t300\tIN\tCNAME\t.\n"
		"bad.example.rpz.example.\t300\tIN\tCNAME\t.\n"
		"*.bad.example.rpz.example.\t300\tIN\tCNAME\t.\n"
		"qxkzmwpr.example.rpz.example.\t300\tIN\tCNAME\t.\n"
		"*.qxkzmwpr.example.rpz.example.\t300\tIN\tCNAME\t.\n");
	free(s);

	const char *sink[] = { "192.0.2.66", "2001:DB8:0:0::66" };
	o.sinkhole = sink;
	o.nsinkhole = 2;
	o.ttl = 60;
	o.ns = "ns.rpz.example.";
	o.origin = "rpz.example.";
	s = rpz_text(&o, names + 3, 1, &ret);
	assert_int_equal(ret, TS_OK);
	assert_string_equal(s,
		"; Response policy zone written by tldsec: 1 names, answered with the sinkhole\n"
		"$TTL 60\n"
		"rpz.example.\t60\tIN\tSOA\tns.rpz.example. hostmaster.rpz.example. 1767312000 3600 600 604800 60\n"
		"rpz.example.\t60\tIN\tNS\tns.rpz.example.\n"
		"a.example.rpz.example.\t60\tIN\tA\t192.0.2.66\n"
		"a.example.rpz.example.\t60\tIN\tAAAA\t2001:db8::66\n"
		"*.a.example.rpz.example.\t60\tIN\tA\t192.0.2.66\n"
		"*.a.example.rpz.example.\t60\tIN\tAAAA\t2001:db8::66\n");
	free(s);

	/* an empty list is still a valid zone */
	o.nsinkhole = 0;
	s = rpz_text(&o, NULL, 0, &ret);
	assert_int_equal(ret, TS_OK);
	assert_has(s, "0 names");
	assert_lacks(s, "CNAME");
	free(s);
}

static void test_rpz_rejects(void **state)
{
	(void)state;
	char canon[RPZ_ADDR_TEXT];
	int fam;
	assert_int_equal(rpz_sinkhole_parse("10.0.0.1", canon, &fam), TS_OK);
	assert_int_equal(fam, 4);
	assert_int_equal(rpz_sinkhole_parse("::ffff:10.0.0.1", canon, &fam), TS_OK);
	assert_int_equal(fam, 6);
	assert_string_equal(canon, "::ffff:10.0.0.1");
	const char *bad[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "::g",
	                      "1::2::3", "localhost", "192.0.2.1/32", "0x7f.1.1.1", NULL };
	for (size_t i = 0; bad[i] != NULL; i++) {
		if (rpz_sinkhole_parse(bad[i], canon, &fam) != TS_EINPUT)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(rpz_sinkhole_parse(NULL, canon, &fam), TS_EINPUT);

	const char *names[] = { "bad.example" };
	int ret;
	char *s;
	quiet();
	const char *badsink[] = { "192.0.2.300" };
	rpz_opts_t o = { .origin = "rpz.example", .now = 1, .sinkhole = badsink, .nsinkhole = 1 };
	s = rpz_text(&o, names, 1, &ret);
	assert_int_equal(ret, TS_EINPUT);
	assert_string_equal(s, "");
	free(s);
	o.nsinkhole = RPZ_MAX_SINKHOLE + 1;
	s = rpz_text(&o, names, 1, &ret);
	assert_int_equal(ret, TS_EINPUT);
	free(s);
	o.nsinkhole = 0;
	o.origin = ".";
	s = rpz_text(&o, names, 1, &ret);
	assert_int_equal(ret, TS_EINPUT);
	free(s);
	o.origin = "rpz.example";
	o.now = -1;
	s = rpz_text(&o, names, 1, &ret);
	assert_int_equal(ret, TS_EINPUT);
	free(s);
	o.now = (int64_t)UINT32_MAX + 1;
	s = rpz_text(&o, names, 1, &ret);
	assert_int_equal(ret, TS_EINPUT);
	free(s);
	o.now = 5;
	o.ns = "bad ns";
	s = rpz_text(&o, names, 1, &ret);
	assert_int_equal(ret, TS_EINPUT);
	free(s);
	o.ns = NULL;
	/* a name that would not fit below the origin with its "*." */
	char longname[260];
	size_t p = 0;
	while (p < 240) { memset(longname + p, 'a', 59); p += 59; longname[p++] = '.'; }
	memcpy(longname + p, "example", 8);
	const char *lv[] = { longname };
	s = rpz_text(&o, lv, 1, &ret);
	assert_int_equal(ret, TS_EINPUT);
	free(s);
	const char *badnames[] = { "ok.example", "bad name.example" };
	s = rpz_text(&o, badnames, 2, &ret);
	assert_int_equal(ret, TS_EINPUT);
	free(s);
	/* a failed write leaves nothing behind */
	assert_int_equal(rpz_write(&o, badnames, 2, "/tmp/tldsec-rpz-never.zone"), TS_EINPUT);
	assert_int_equal(access("/tmp/tldsec-rpz-never.zone", F_OK), -1);
	assert_int_equal(rpz_write(&o, names, 1, "/nonexistent-dir/rpz.zone"), TS_EIO);
	loud();
}

static void test_reserved(void **state)
{
	(void)state;
	const char *names[] = { "zz.example", "AA.example.", "mm.example", "aa.example" };
	char *mem = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&mem, &len);
	assert_non_null(fp);
	assert_int_equal(reserved_write_fp(names, 4, fp), TS_OK);
	fclose(fp);
	assert_string_equal(mem, "aa.example\nmm.example\nzz.example\n");
	free(mem);
	char dir[] = "/tmp/tldsec-reserved-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	(void)snprintf(path, sizeof(path), "%s/reserved.txt", dir);
	assert_int_equal(reserved_write(names, 4, path), TS_OK);
	assert_int_equal(access(path, F_OK), 0);
	const char *bad[] = { "ok.example", "-bad.example" };
	quiet();
	assert_int_equal(reserved_write(bad, 2, path), TS_EINPUT);
	loud();
	/* the earlier file is untouched */
	fp = fopen(path, "r");
	assert_non_null(fp);
	char buf[128];
	size_t got = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[got] = '\0';
	fclose(fp);
	assert_string_equal(buf, "aa.example\nmm.example\nzz.example\n");
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Every allocation of the writers fails in turn: a clean TS_ENOMEM each
 * time, and (under ASan) nothing leaks. */
static void test_out_of_memory(void **state)
{
	(void)state;
	const char *names[] = { "c.example", "b.example", "a.example" };
	rpz_opts_t o = { .origin = "rpz.example", .now = 1 };
	quiet();
	ts_alloc_fail_at(0);
	int ret;
	char *s = rpz_text(&o, names, 3, &ret);
	free(s);
	assert_int_equal(ret, TS_OK);
	unsigned long count = ts_alloc_fail_at(0);
	assert_true(count > 0);
	for (unsigned long i = 1; i <= count; i++) {
		ts_alloc_fail_at(i);
		s = rpz_text(&o, names, 3, &ret);
		ts_alloc_fail_at(0);
		free(s);
		assert_int_equal(ret, TS_ENOMEM);
	}
	for (unsigned k = 0; k < EPP_BLOCK; k++) {
		epp_action_t a = sample((epp_kind_t)k);
		for (unsigned long i = 1;; i++) {
			ts_alloc_fail_at(i);
			dbuf_t b;
			dbuf_init(&b, 1u << 20);
			ret = epp_command(&a, EPP_DO, &b);
			ts_alloc_fail_at(0);
			dbuf_free(&b);
			if (ret == TS_OK)
				break;
			assert_int_equal(ret, TS_ENOMEM);
			assert_true(i < 100);
		}
	}
	loud();
}

/* ---- the driver used by the integration tests ---- */

static int drive_epp_all(const char *dir)
{
	char path[4096];
	for (unsigned k = 0; k < EPP_BLOCK; k++) {
		epp_action_t a = sample((epp_kind_t)k);
		for (int d = 0; d < 2; d++) {
			(void)snprintf(path, sizeof(path), "%s/%s-%s.xml", dir, epp_kind_name((epp_kind_t)k),
			               d == 0 ? "do" : "undo");
			if (epp_write(&a, (epp_dir_t)d, path) != TS_OK)
				return 1;
		}
	}
	/* a lock over a domain that had some statuses already */
	epp_action_t a = sample(EPP_LOCK);
	a.prior_status = EPP_ST_DELETE_PROHIBITED;
	(void)snprintf(path, sizeof(path), "%s/lock-partial-do.xml", dir);
	if (epp_write(&a, EPP_DO, path) != TS_OK)
		return 1;
	(void)snprintf(path, sizeof(path), "%s/lock-partial-undo.xml", dir);
	return epp_write(&a, EPP_UNDO, path) == TS_OK ? 0 : 1;
}

static int drive_rpz(int argc, char **argv)
{
	if (argc < 6)
		return 2;
	const char *sink[RPZ_MAX_SINKHOLE];
	size_t nsink = 0;
	char list[1024];
	(void)snprintf(list, sizeof(list), "%s", argv[5]);
	if (strcmp(list, "-") != 0) {
		for (char *t = list; t != NULL && nsink < RPZ_MAX_SINKHOLE;) {
			char *comma = strchr(t, ',');
			if (comma != NULL)
				*comma++ = '\0';
			sink[nsink++] = t;
			t = comma;
		}
	}
	int64_t serial;
	if (ts_parse_i64(argv[4], strlen(argv[4]), 0, INT64_MAX, &serial) != TS_OK)
		return 2;
	rpz_opts_t o = { .origin = argv[3], .now = serial, .sinkhole = sink, .nsinkhole = nsink };
	return rpz_write(&o, (const char *const *)argv + 6, (size_t)(argc - 6), argv[2]) == TS_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "epp-all") == 0)
		return drive_epp_all(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "rpz") == 0)
		return drive_rpz(argc, argv);
	if (argc >= 3 && strcmp(argv[1], "reserved") == 0)
		return reserved_write((const char *const *)argv + 3, (size_t)(argc - 3), argv[2]) == TS_OK ? 0 : 1;
	if (argc > 1) {
		fprintf(stderr, "usage: %s [epp-all DIR | rpz OUT ORIGIN SERIAL SINKHOLES NAME... | "
		        "reserved OUT NAME...]\n", argv[0]);
		return 2;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_suspend),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_redirect),
		cmocka_unit_test(test_transfer_delete_register),
		cmocka_unit_test(test_escaping_and_checks),
		cmocka_unit_test(test_cltrids_unique),
		cmocka_unit_test(test_epp_write_file),
		cmocka_unit_test(test_rpz),
		cmocka_unit_test(test_rpz_rejects),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
