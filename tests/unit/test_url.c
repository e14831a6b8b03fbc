/* test_url.c — URL or name → host, every case real feeds hold. */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "unit.h"

#include "base/err.h"
#include "feeds/url.h"

/* Reduces s and checks the host and its kind. */
static void expect(const char *s, const char *host, url_host_kind_t want_kind)
{
	char out[URL_HOST_CAP];
	size_t len = 99;
	url_host_kind_t kind = URL_HOST_IP;
	int ret = url_to_host(s, strlen(s), out, sizeof(out), &len, &kind);
	if (ret != TS_OK)
		fail_msg("%s: %s (%s)", s, ts_strerror(ret), url_error());
	if (strcmp(out, host) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", s, out, host);
	assert_int_equal(len, strlen(host));
	if (kind != want_kind)
		fail_msg("%s: wrong kind", s);
}

static void name(const char *s, const char *host)
{
	expect(s, host, URL_HOST_NAME);
}

static void ip(const char *s, const char *host)
{
	expect(s, host, URL_HOST_IP);
}

/* Checks that s is rejected, with `why` in the reason. */
static void reject(const char *s, const char *why)
{
	char out[URL_HOST_CAP];
	size_t len = 99;
	url_host_kind_t kind;
	int ret = url_to_host(s, strlen(s), out, sizeof(out), &len, &kind);
	if (ret != TS_EINPUT)
		fail_msg("%s: accepted as \"%s\"", s, out);
	assert_int_equal(len, 0);
	if (strstr(url_error(), why) == NULL)
		fail_msg("%s: reason \"%s\" lacks \"%s\"", s, url_error(), why);
}

static void test_schemes(void **state)
{
	(void)state;
	name("http://example.com/", "example.com");
	name("https://example.com", "example.com");
	name("HTTP://Example.COM/Path", "example.com");
	name("hTtPs://www.example.com/a/b/c.html", "www.example.com");
	name("ftp://files.example.com/x", "files.example.com");
	name("tcp://c2.example.com:4444", "c2.example.com");
	name("git+ssh://host.example.com/r", "host.example.com");
	name("//cdn.example.com/lib.js", "cdn.example.com");
	name("http:/one-slash.example.com/x", "one-slash.example.com");
	name("http:///three.example.com/x", "three.example.com");
	name("mailto:someone@mail.example.com", "mail.example.com");
}

static void test_no_scheme(void **state)
{
	(void)state;
	name("example.com", "example.com");
	name("example.com/path/x.php", "example.com");
	name("example.com:8080", "example.com");
	name("example.com:8080/x", "example.com");
	name("example.com?q=1", "example.com");
	name("example.com#frag", "example.com");
	name("user@example.com", "example.com");
	name("localhost", "localhost");
}

static void test_defanged(void **state)
{
	(void)state;
	name("hxxp://bad[.]example[.]com/x", "bad.example.com");
	name("hxxps://bad(.)example{.}com", "bad.example.com");
	name("HXXPS[:]//bad[DOT]example(dot)com/", "bad.example.com");
	name("bad[.]example.com", "bad.example.com");
	ip("hxxp://198[.]51[.]100[.]7/x", "198.51.100.7");
}

static void test_userinfo(void **state)
{
	(void)state;
	name("http://user@example.com/", "example.com");
	name("http://user:pass@example.com:8080/", "example.com");
	name("http://a@b@example.com/", "example.com");
	name("http://paypal.com@evil.example/", "evil.example");
	name("http://good.example/login@evil.example", "good.example");
	name("http://good.example?next=@evil.example", "good.example");
	name("http://good.example#@evil.example", "good.example");
	/* backslash ends the authority, as browsers read it */
	name("http://evil.example\\@good.example/", "evil.example");
}

static void test_ports(void **state)
{
	(void)state;
	name("http://example.com:443/x", "example.com");
	name("http://example.com:/x", "example.com");
	name("http://example.com:65535", "example.com");
	reject("http://example.com:65536/", "port");
	reject("http://example.com:80a/", "invalid port");
	reject("http://example.com:-1/", "invalid port");
}

static void test_ipv4(void **state)
{
	(void)state;
	ip("http://198.51.100.241/x", "198.51.100.241");
	ip("198.51.100.1", "198.51.100.1");
	ip("http://198.51.100.1:8080/x", "198.51.100.1");
	ip("http://198.51.100.1./", "198.51.100.1");
	/* the odd forms browsers accept */
	ip("http://3232235777/", "192.168.1.1");
	ip("http://0xC0A80101/", "192.168.1.1");
	ip("http://0xc0.0xa8.1.1/", "192.168.1.1");
	ip("http://0300.0250.01.01/", "192.168.1.1");
	ip("http://192.168.257/", "192.168.1.1");
	ip("http://10.1/", "10.0.0.1");
	ip("http://0x/", "0.0.0.0");
	ip("http://%31%39%32.168.1.1/", "192.168.1.1");
	reject("http://1.2.3.256/", "IPv4");
	reject("http://1.2.3.4.5/", "IPv4");
	reject("http://1.2.3.09/", "IPv4");
	reject("http://4294967296/", "IPv4");
	reject("http://a.1.2/", "IPv4");
	/* a number inside, not last, keeps it a name */
	name("http://1.2.3.example/", "1.2.3.example");
}

static void test_ipv6(void **state)
{
	(void)state;
	ip("http://[2001:db8::1]/x", "2001:db8::1");
	ip("http://[2001:DB8:0:0:0:0:0:1]:8443/x", "2001:db8::1");
	ip("[::1]", "::1");
	ip("2001:db8::7", "2001:db8::7");
	ip("http://[::ffff:192.0.2.1]/", "::ffff:192.0.2.1");
	reject("http://[2001:db8::1/", "unterminated");
	reject("http://[2001:db8::g]/", "IPv6");
	reject("http://[2001:db8::1]x/", "after IPv6");
	reject("http://[2001:db8::1]:8x/", "port");
	reject("http://[]/", "IPv6");
}

static void test_case_and_dots(void **state)
{
	(void)state;
	name("WWW.EXAMPLE.COM", "www.example.com");
	name("example.com.", "example.com");
	name("http://example.com./x", "example.com");
	reject("example.com..", "empty label");
	reject(".example.com", "empty label");
	reject("a..example.com", "empty label");
	reject(".", "empty host");
	reject("http://./", "empty host");
}

static void test_idn(void **state)
{
	(void)state;
	name("http://b\xc3\xbc" "cher.example/", "xn--bcher-kva.example");
	name("B\xc3\x9c" "CHER.example", "xn--bcher-kva.example");
	name("xn--bcher-kva.example", "xn--bcher-kva.example");
	name("XN--BCHER-KVA.example", "xn--bcher-kva.example");
	/* U-label beside an A-label */
	name("b\xc3\xbc" "cher.xn--bcher-kva.example", "xn--bcher-kva.xn--bcher-kva.example");
	/* non-transitional: sharp s stays */
	name("fa\xc3\x9f.example", "xn--fa-hia.example");
	/* ideographic full stop as a separator */
	name("\xe4\xbe\x8b\xe3\x80\x82" "example", "xn--fsq.example");
	/* percent-encoded UTF-8 */
	name("http://b%C3%BCcher.example/", "xn--bcher-kva.example");
	reject("http://b\xff" "cher.example/", "internationalised");
}

static void test_percent(void **state)
{
	(void)state;
	name("http://%65xample.com/", "example.com");
	name("http://ex%41mple.com/", "example.com");
	reject("http://ex%4/", "percent");
	reject("http://ex%zzmple.com/", "percent");
	reject("http://ex%2fmple.com/", "invalid character");
	reject("http://ex%00ample.com/", "invalid character");
}

static void test_whitespace_and_junk(void **state)
{
	(void)state;
	name("  http://example.com/  ", "example.com");
	name("\thttp://example.com/\r\n", "example.com");
	reject("", "empty");
	reject("   ", "empty");
	reject("not a url at all", "invalid character");
	reject("http://exa mple.com/", "invalid character");
	reject("http://", "empty host");
	reject("http:///", "empty host");
	reject("http://user@/", "empty host");
	reject("http://ex!ample.com/", "invalid character");
	reject("*.example.com", "invalid character");
	reject("a:b:c", "IPv6");
	name("under_score.example.com", "under_score.example.com");
	name("-dash-.example.com", "-dash-.example.com");
}

static void test_lengths(void **state)
{
	(void)state;
	char s[600];
	char want[300];
	/* a 63-byte label is fine, 64 is not */
	memset(s, 'a', 63);
	memcpy(s + 63, ".example", 9);
	name(s, s);
	memset(s, 'a', 64);
	memcpy(s + 64, ".example", 9);
	reject(s, "63");
	/* four 63-byte labels and dots: 255 bytes, too long; 253 is fine */
	size_t k = 0;
	for (int l = 0; l < 4; l++) {
		memset(s + k, 'b', 63);
		k += 63;
		s[k++] = '.';
	}
	s[k - 1] = '\0';
	reject(s, "253");
	memcpy(want, s, 253);
	want[253] = '\0';
	want[252] = 'c';
	name(want, want);
	/* a long path never matters */
	memcpy(s, "http://example.com/", 19);
	memset(s + 19, 'p', 500);
	s[519] = '\0';
	name(s, "example.com");
	/* an authority beyond the scratch buffer */
	char big[2100];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	reject(big, "too long");
}

static void test_small_cap(void **state)
{
	(void)state;
	char out[8];
	size_t len;
	url_host_kind_t kind;
	assert_int_equal(url_to_host("example.com", 11, out, sizeof(out), &len, &kind), TS_ELIMIT);
	assert_int_equal(url_to_host("ab.cd", 5, out, sizeof(out), &len, &kind), TS_OK);
	assert_string_equal(out, "ab.cd");
	/* the length bounds the input: nothing past n is read */
	assert_int_equal(url_to_host("ab.cdXYZ", 5, out, sizeof(out), &len, &kind), TS_OK);
	assert_string_equal(out, "ab.cd");
}

static void *other_thread(void *arg)
{
	char out[URL_HOST_CAP];
	size_t len;
	url_host_kind_t kind;
	(void)arg;
	if (url_to_host("", 0, out, sizeof(out), &len, &kind) != TS_EINPUT)
		return NULL;
	return (void *)url_error();
}

static void test_error_is_per_thread(void **state)
{
	(void)state;
	reject("http://example.com:80a/", "invalid port");
	pthread_t t;
	void *theirs = NULL;
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, &theirs), 0);
	assert_non_null(theirs);
	assert_string_equal((const char *)theirs, "empty indicator");
	assert_string_equal(url_error(), "invalid port");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schemes),
		cmocka_unit_test(test_no_scheme),
		cmocka_unit_test(test_defanged),
		cmocka_unit_test(test_userinfo),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_case_and_dots),
		cmocka_unit_test(test_idn),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_whitespace_and_junk),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_small_cap),
		cmocka_unit_test(test_error_is_per_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
