/*
 * web_tls.c - the hub's own CA and server certificate, made with GnuTLS
 * (web_tls.h). Start reading at web_tls_load().
 *
 * Files are written whole or not at all (a temporary file, fsync, rename),
 * a key before its certificate: a start interrupted between the two
 * leaves a key without its certificate, which the next start makes again.
 * A certificate without its key is an operator's mistake, and said so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "web/web_tls.h"

#define CA_DAYS (10 * 366)
#define SERVER_DAYS 800                 /* Apple's limit for a TLS server is 825 */
#define FILE_MAX (256 * 1024)

/* The ranges the hub's CA may vouch for (name constraints) and that the
 * server's certificate names addresses in: loopback and private networks. */
static const struct {
	int v6;
	const char *addr;
	int bits;
} private_nets[] = {
	{ 0, "127.0.0.0", 8 }, { 0, "10.0.0.0", 8 }, { 0, "172.16.0.0", 12 },
	{ 0, "192.168.0.0", 16 }, { 0, "169.254.0.0", 16 }, { 1, "::1", 128 },
	{ 1, "fc00::", 7 },
};

struct pair {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
};

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return rc;
}

/* --- files -------------------------------------------------------------- */

/* dir/name whole into *out (NUL-terminated). HK_ENOTFOUND when missing. */
static int file_read(const char *dir, const char *name, char **out, size_t *len)
{
	char path[4096];
	struct stat sb;
	char *buf;
	ssize_t n;
	int fd;

	*out = NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? HK_ENOTFOUND : HK_EIO;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > FILE_MAX ||
	    !(buf = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		return HK_EIO;
	}
	n = read(fd, buf, (size_t)sb.st_size);
	close(fd);
	if (n != sb.st_size) {
		free(buf);
		return HK_EIO;
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = (size_t)n;
	return 0;
}

static int file_exists(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static int file_write(const char *dir, const char *name, const gnutls_datum_t *d,
		      mode_t mode)
{
	char path[4096], tmp[4096];
	int fd, dfd, rc = HK_EIO;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return HK_EIO;
	/* mode exactly, whatever the umask: the unit's 0007 would make the
	 * certificate 0640, which the board and hubctl (not in group hubweb)
	 * could then not read for its fingerprint */
	if (fchmod(fd, mode) == 0 && write(fd, d->data, d->size) == (ssize_t)d->size &&
	    fsync(fd) == 0)
		rc = 0;
	if (close(fd) != 0 || rc || rename(tmp, path) != 0) {
		unlink(tmp);
		return HK_EIO;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);     /* the rename itself durable */
		close(dfd);
	}
	return 0;
}

static int dir_ensure(const char *dir, char *err, size_t len)
{
	struct stat sb;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return fail(err, len, HK_EIO, "cannot make the state folder %s: %s (give --state)",
			    dir, strerror(errno));
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return fail(err, len, HK_EIO, "%s is not a folder (give --state)", dir);
	return 0;
}

/* --- certificates ------------------------------------------------------- */

static void pair_free(struct pair *p)
{
	if (p->crt)
		gnutls_x509_crt_deinit(p->crt);
	if (p->key)
		gnutls_x509_privkey_deinit(p->key);
	p->crt = NULL;
	p->key = NULL;
}

static int pem_import(const char *pem, size_t len, struct pair *p, int want_key)
{
	gnutls_datum_t d = { (unsigned char *)pem, (unsigned)len };

	if (want_key)
		return gnutls_x509_privkey_init(&p->key) < 0 ||
		       gnutls_x509_privkey_import2(p->key, &d, GNUTLS_X509_FMT_PEM, NULL, 0) < 0 ?
		       HK_EINVAL : 0;
	return gnutls_x509_crt_init(&p->crt) < 0 ||
	       gnutls_x509_crt_import(p->crt, &d, GNUTLS_X509_FMT_PEM) < 0 ? HK_EINVAL : 0;
}

/* 1 when key is the private half of crt's public key. */
static int key_matches(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key)
{
	unsigned char a[64], b[64];
	size_t na = sizeof a, nb = sizeof b;

	return gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, a, &na) == 0 &&
	       gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256, b, &nb) == 0 &&
	       na == nb && memcmp(a, b, na) == 0;
}

static int key_make(gnutls_x509_privkey_t *key)
{
	if (gnutls_x509_privkey_init(key) < 0)
		return HK_ENOMEM;
	return gnutls_x509_privkey_generate2(*key, GNUTLS_PK_ECDSA,
					     GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
					     0, NULL, 0) < 0 ? HK_EIO : 0;
}

/* What every certificate of ours shares: version, a random serial, the
 * validity from an hour ago (a phone's clock a little behind), the key. */
static int crt_start(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key, hk_time now, int days)
{
	unsigned char serial[16], id[64];
	size_t idlen = sizeof id;

	if (gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial) < 0)
		return HK_EIO;
	serial[0] = (unsigned char)((serial[0] & 0x7f) | 0x40);    /* positive, 16 bytes */
	return gnutls_x509_crt_set_version(crt, 3) < 0 ||
	       gnutls_x509_crt_set_serial(crt, serial, sizeof serial) < 0 ||
	       gnutls_x509_crt_set_activation_time(crt, (time_t)(now - 3600)) < 0 ||
	       gnutls_x509_crt_set_expiration_time(crt, (time_t)(now + days * 86400LL)) < 0 ||
	       gnutls_x509_crt_set_key(crt, key) < 0 ||
	       gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA1, id, &idlen) < 0 ||
	       gnutls_x509_crt_set_subject_key_id(crt, id, idlen) < 0 ? HK_EINVAL : 0;
}

static int set_dn(gnutls_x509_crt_t crt, const char *cn)
{
	return gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
					     "hubkiosk", 8) < 0 ||
	       gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
					     (unsigned)strlen(cn)) < 0 ? HK_EINVAL : 0;
}

/* 4 (or 16) address bytes and as many mask bytes, as name constraints
 * hold an IP range. */
static unsigned net_bytes(int i, unsigned char out[32])
{
	unsigned n = private_nets[i].v6 ? 16 : 4, b;

	inet_pton(private_nets[i].v6 ? AF_INET6 : AF_INET, private_nets[i].addr, out);
	for (b = 0; b < n; b++) {
		int bits = private_nets[i].bits - 8 * (int)b;

		out[n + b] = (unsigned char)(bits >= 8 ? 0xff : bits <= 0 ? 0 :
					     (0xff << (8 - bits)) & 0xff);
	}
	return 2 * n;
}

/* The CA vouches only for .local names, localhost and private addresses:
 * a phone that installs it is not opened to the internet's names, even if
 * the hub's key were stolen. */
static int ca_constraints(gnutls_x509_crt_t crt)
{
	static const char *const names[] = { "local", "localhost" };
	gnutls_x509_name_constraints_t nc;
	unsigned char ip[32];
	gnutls_datum_t d;
	size_t i;
	int rc = 0;

	if (gnutls_x509_name_constraints_init(&nc) < 0)
		return HK_ENOMEM;
	for (i = 0; !rc && i < sizeof names / sizeof names[0]; i++) {
		d.data = (unsigned char *)names[i];
		d.size = (unsigned)strlen(names[i]);
		rc = gnutls_x509_name_constraints_add_permitted(nc, GNUTLS_SAN_DNSNAME, &d) < 0;
	}
	for (i = 0; !rc && i < sizeof private_nets / sizeof private_nets[0]; i++) {
		d.data = ip;
		d.size = net_bytes((int)i, ip);
		rc = gnutls_x509_name_constraints_add_permitted(nc, GNUTLS_SAN_IPADDRESS, &d) < 0;
	}
	if (!rc)
		rc = gnutls_x509_crt_set_name_constraints(crt, nc, 1) < 0;
	gnutls_x509_name_constraints_deinit(nc);
	return rc ? HK_EINVAL : 0;
}

static int ca_make(const char *short_host, hk_time now, struct pair *ca)
{
	char cn[128];
	int rc;

	snprintf(cn, sizeof cn, "%s hub (hubkiosk)", short_host);
	rc = key_make(&ca->key);
	if (!rc && gnutls_x509_crt_init(&ca->crt) < 0)
		rc = HK_ENOMEM;
	if (!rc)
		rc = crt_start(ca->crt, ca->key, now, CA_DAYS);
	if (!rc)
		rc = set_dn(ca->crt, cn);
	if (!rc && (gnutls_x509_crt_set_basic_constraints(ca->crt, 1, 0) < 0 ||
		    gnutls_x509_crt_set_key_usage(ca->crt, GNUTLS_KEY_KEY_CERT_SIGN |
						  GNUTLS_KEY_CRL_SIGN) < 0))
		rc = HK_EINVAL;
	if (!rc)
		rc = ca_constraints(ca->crt);
	if (!rc && gnutls_x509_crt_sign2(ca->crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0) < 0)
		rc = HK_EINVAL;
	return rc;
}

/* 1 when the address is in a range the CA may vouch for. */
static int addr_private(const struct sockaddr *sa)
{
	unsigned char want[32];
	const unsigned char *a;
	size_t i;
	unsigned n, b;

	a = sa->sa_family == AF_INET ?
	    (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr :
	    (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	for (i = 0; i < sizeof private_nets / sizeof private_nets[0]; i++) {
		if (private_nets[i].v6 != (sa->sa_family == AF_INET6))
			continue;
		n = net_bytes((int)i, want) / 2;
		for (b = 0; b < n && (a[b] & want[n + b]) == want[b]; b++)
			;
		if (b == n)
			return 1;
	}
	return 0;
}

/* The names a phone may reach the hub by: <host>.local (avahi publishes
 * the first label), localhost, and the private addresses the hub has now
 * (a phone that cannot resolve .local may type one; they are not made
 * again when they change, so the fingerprint stays). */
static int server_names(gnutls_x509_crt_t crt, const char *local_name)
{
	static const unsigned char lo4[4] = { 127, 0, 0, 1 };
	struct ifaddrs *ifs = NULL, *i;
	int rc;
	unsigned n = (unsigned)strlen(local_name);

	rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, local_name, n,
						  GNUTLS_FSAN_APPEND) < 0 ||
	     gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
						  GNUTLS_FSAN_APPEND) < 0 ||
	     gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, lo4, 4,
						  GNUTLS_FSAN_APPEND) < 0 ||
	     gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, &in6addr_loopback,
						  16, GNUTLS_FSAN_APPEND) < 0;
	if (rc || getifaddrs(&ifs) != 0)
		return rc ? HK_EINVAL : 0;
	for (i = ifs; !rc && i; i = i->ifa_next) {
		const struct sockaddr *sa = i->ifa_addr;

		if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) ||
		    !addr_private(sa) || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (sa->sa_family == AF_INET)
			rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS,
				&((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4,
				GNUTLS_FSAN_APPEND) < 0;
		else
			rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS,
				&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16,
				GNUTLS_FSAN_APPEND) < 0;
	}
	freeifaddrs(ifs);
	return rc ? HK_EINVAL : 0;
}

static int server_make(const char *local_name, hk_time now, const struct pair *ca,
		       struct pair *srv)
{
	unsigned char id[64];
	size_t idlen = sizeof id;
	int rc;

	rc = key_make(&srv->key);
	if (!rc && gnutls_x509_crt_init(&srv->crt) < 0)
		rc = HK_ENOMEM;
	if (!rc)
		rc = crt_start(srv->crt, srv->key, now, SERVER_DAYS);
	if (!rc)
		rc = set_dn(srv->crt, local_name);
	if (!rc)
		rc = server_names(srv->crt, local_name);
	if (!rc && (gnutls_x509_crt_set_basic_constraints(srv->crt, 0, -1) < 0 ||
		    gnutls_x509_crt_set_key_usage(srv->crt, GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
		    gnutls_x509_crt_set_key_purpose_oid(srv->crt, GNUTLS_KP_TLS_WWW_SERVER,
							0) < 0 ||
		    gnutls_x509_crt_get_subject_key_id(ca->crt, id, &idlen, NULL) < 0 ||
		    gnutls_x509_crt_set_authority_key_id(srv->crt, id, idlen) < 0 ||
		    gnutls_x509_crt_sign2(srv->crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0) < 0))
		rc = HK_EINVAL;
	return rc;
}

static int pair_write(const char *dir, const char *stem, const struct pair *p)
{
	char name[64];
	gnutls_datum_t k = { NULL, 0 }, c = { NULL, 0 };
	int rc = HK_EINVAL;

	if (gnutls_x509_privkey_export2_pkcs8(p->key, GNUTLS_X509_FMT_PEM, NULL,
					      GNUTLS_PKCS_PLAIN, &k) < 0 ||
	    gnutls_x509_crt_export2(p->crt, GNUTLS_X509_FMT_PEM, &c) < 0)
		goto out;
	snprintf(name, sizeof name, "%s.key", stem);
	rc = file_write(dir, name, &k, 0600);
	snprintf(name, sizeof name, "%s.crt", stem);
	if (!rc)
		rc = file_write(dir, name, &c, 0644);
out:
	if (k.data)
		gnutls_memset(k.data, 0, k.size);
	gnutls_free(k.data);
	gnutls_free(c.data);
	return rc;
}

/* The hub's CA from dir, or a new one when there is none (or only its key:
 * an earlier start was cut short). */
static int ca_get(const char *dir, const char *short_host, hk_time now, struct pair *ca,
		  char *err, size_t len)
{
	char *crt = NULL, *key = NULL;
	size_t nc = 0, nk = 0;
	int rc;

	if (!file_exists(dir, "ca.crt")) {
		rc = ca_make(short_host, now, ca);
		if (!rc)
			rc = pair_write(dir, "ca", ca);
		return rc ? fail(err, len, rc, "cannot make the hub's CA in %s", dir) : 0;
	}
	rc = file_read(dir, "ca.key", &key, &nk);
	if (rc) {
		free(key);
		return fail(err, len, rc == HK_ENOTFOUND ? HK_EINVAL : rc, "%s/ca.crt has no"
			    " ca.key beside it: the hub cannot sign its own certificate (remove"
			    " ca.crt, or install server.crt and server.key)", dir);
	}
	rc = file_read(dir, "ca.crt", &crt, &nc);
	if (!rc)
		rc = pem_import(key, nk, ca, 1);
	if (!rc)
		rc = pem_import(crt, nc, ca, 0);
	if (!rc && !key_matches(ca->crt, ca->key))
		rc = HK_EINVAL;
	gnutls_memset(key, 0, nk);
	free(key);
	free(crt);
	return rc ? fail(err, len, rc, "%s/ca.crt or ca.key is not a PEM certificate and its key",
			 dir) : 0;
}

/* --- the server's certificate as loaded --------------------------------- */

/* First certificate of out->cert_pem, parsed. */
static int server_crt(const struct web_tls *t, gnutls_x509_crt_t *crt)
{
	gnutls_datum_t d = { (unsigned char *)t->cert_pem, (unsigned)strlen(t->cert_pem) };

	if (gnutls_x509_crt_init(crt) < 0)
		return HK_ENOMEM;
	if (gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_PEM) < 0) {
		gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
		return HK_EINVAL;
	}
	return 0;
}

/* 1 when the PEM chain in t->cert_pem is vouched for by the CA in ca_pem:
 * signed by it, whatever the clock says (a hub whose clock is wrong still
 * offers its CA; the renewal looks at the dates). */
static int chain_from(const struct web_tls *t, const char *ca_pem, size_t ca_len)
{
	gnutls_datum_t cd = { (unsigned char *)t->cert_pem, (unsigned)strlen(t->cert_pem) };
	gnutls_datum_t ad = { (unsigned char *)ca_pem, (unsigned)ca_len };
	gnutls_x509_crt_t *chain = NULL, ca = NULL;
	unsigned n = 0, i, status = 1;

	if (gnutls_x509_crt_list_import2(&chain, &n, &cd, GNUTLS_X509_FMT_PEM, 0) < 0)
		return 0;
	if (gnutls_x509_crt_init(&ca) >= 0 &&
	    gnutls_x509_crt_import(ca, &ad, GNUTLS_X509_FMT_PEM) >= 0 &&
	    gnutls_x509_crt_list_verify(chain, n, &ca, 1, NULL, 0,
					 GNUTLS_VERIFY_DISABLE_TIME_CHECKS, &status) < 0)
		status = 1;
	if (ca)
		gnutls_x509_crt_deinit(ca);
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(chain[i]);
	gnutls_free(chain);
	return status == 0;
}

/* Why the hub's own certificate must be made again, or NULL. */
static const char *renew_reason(const struct web_tls *t, const char *local_name, hk_time now)
{
	gnutls_x509_crt_t crt;
	const char *why = NULL;

	if (server_crt(t, &crt))
		return "it cannot be read";
	if ((hk_time)gnutls_x509_crt_get_expiration_time(crt) - now < WEB_TLS_RENEW_S)
		why = "it runs out within 30 days";
	else if (!gnutls_x509_crt_check_hostname2(crt, local_name, 0))
		why = "the hub's name changed";
	gnutls_x509_crt_deinit(crt);
	return why;
}

/* Fills the fingerprint and expiry, and checks key against the chain as
 * libmicrohttpd will use them. */
static int server_describe(struct web_tls *t, const char *dir, char *err, size_t len)
{
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t cd = { (unsigned char *)t->cert_pem, (unsigned)strlen(t->cert_pem) };
	gnutls_datum_t kd = { (unsigned char *)t->key_pem, (unsigned)strlen(t->key_pem) };
	unsigned char md[32];
	size_t mdlen = sizeof md, i;
	gnutls_x509_crt_t crt;
	int rc;

	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return HK_ENOMEM;
	rc = gnutls_certificate_set_x509_key_mem2(cred, &cd, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_certificate_free_credentials(cred);
	if (rc < 0)
		return fail(err, len, HK_EINVAL, "%s/server.crt and server.key are not a PEM"
			    " certificate and its key (%s)", dir, gnutls_strerror(rc));
	if (server_crt(t, &crt))
		return fail(err, len, HK_EINVAL, "%s/server.crt is not a PEM certificate", dir);
	rc = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, md, &mdlen);
	t->expires = (hk_time)gnutls_x509_crt_get_expiration_time(crt);
	gnutls_x509_crt_deinit(crt);
	if (rc < 0)
		return fail(err, len, HK_EINVAL, "%s/server.crt has no fingerprint", dir);
	for (i = 0; i < mdlen && 3 * i + 3 <= sizeof t->fingerprint; i++)
		snprintf(t->fingerprint + 3 * i, sizeof t->fingerprint - 3 * i, "%02X%s", md[i],
			 i + 1 < mdlen ? ":" : "");
	return 0;
}

/* Makes the server's key and certificate (and the CA when there is none). */
static int server_issue(const char *dir, const char *short_host, hk_time now, char *err,
			size_t len)
{
	struct pair ca = { NULL, NULL }, srv = { NULL, NULL };
	char local_name[300];
	int rc;

	snprintf(local_name, sizeof local_name, "%s.local", short_host);
	rc = ca_get(dir, short_host, now, &ca, err, len);
	if (rc)
		goto out;
	rc = server_make(local_name, now, &ca, &srv);
	if (!rc)
		rc = pair_write(dir, "server", &srv);
	if (rc)
		fail(err, len, rc, "cannot make the server's certificate in %s", dir);
out:
	pair_free(&srv);
	pair_free(&ca);
	return rc;
}

/* The first label of host, lower-cased, if it is a DNS label; "hub" else. */
static void host_label(const char *host, char *out, size_t len)
{
	size_t n = 0;

	for (; host && *host && *host != '.' && n + 1 < len && n < 63; host++) {
		char ch = *host >= 'A' && *host <= 'Z' ? (char)(*host - 'A' + 'a') : *host;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
			break;
		out[n++] = ch;
	}
	out[n] = '\0';
	if (!n || (host && *host && *host != '.'))
		snprintf(out, len, "hub");
}

static int server_load(struct web_tls *t, const char *dir, char *err, size_t len)
{
	int rc = file_read(dir, "server.crt", &t->cert_pem, NULL);

	if (!rc)
		rc = file_read(dir, "server.key", &t->key_pem, NULL);
	if (rc == HK_ENOTFOUND)
		return fail(err, len, HK_EINVAL, "%s/server.crt has no server.key beside it", dir);
	if (rc)
		return fail(err, len, rc, "cannot read %s/server.crt or server.key", dir);
	return 0;
}

/* web_tls_load(); renew 0 once the hub's own certificate was made again,
 * so a reason that would not go away cannot loop. */
static int tls_load(const char *dir, const char *host, hk_time now, struct web_tls *out,
		    char *err, size_t errlen, int renew)
{
	char short_host[64], local_name[80];
	const char *why;
	int rc;

	memset(out, 0, sizeof *out);
	err[0] = '\0';
	host_label(host, short_host, sizeof short_host);
	snprintf(local_name, sizeof local_name, "%s.local", short_host);
	rc = dir_ensure(dir, err, errlen);
	if (rc)
		return rc;
	if (!file_exists(dir, "server.crt")) {
		rc = server_issue(dir, short_host, now, err, errlen);
		out->made = "there was none";
	}
	if (!rc)
		rc = server_load(out, dir, err, errlen);
	if (!rc)
		(void)file_read(dir, "ca.crt", &out->ca_pem, &out->ca_len);
	if (!rc && out->ca_pem && !chain_from(out, out->ca_pem, out->ca_len)) {
		free(out->ca_pem);      /* a CA that did not sign it: not offered */
		out->ca_pem = NULL;
		out->ca_len = 0;
	}
	out->own = !rc && out->ca_pem && file_exists(dir, "ca.key");
	if (!rc && renew && out->own && !out->made && (why = renew_reason(out, local_name, now))) {
		web_tls_free(out);
		rc = server_issue(dir, short_host, now, err, errlen);
		if (rc)
			return rc;
		rc = tls_load(dir, host, now, out, err, errlen, 0);
		if (!rc)
			out->made = why;
		return rc;
	}
	if (!rc)
		rc = server_describe(out, dir, err, errlen);
	if (rc)
		web_tls_free(out);
	return rc;
}

int web_tls_load(const char *dir, const char *host, hk_time now, struct web_tls *out,
		 char *err, size_t errlen)
{
	return tls_load(dir, host, now, out, err, errlen, 1);
}

void web_tls_free(struct web_tls *t)
{
	if (t->key_pem) {
		gnutls_memset(t->key_pem, 0, strlen(t->key_pem));
		free(t->key_pem);
	}
	free(t->cert_pem);
	free(t->ca_pem);
	memset(t, 0, sizeof *t);
}
