/*
 * cec.c - the TV over HDMI-CEC, through libcec loaded at run time (see
 * cec.h). One thread per board: it opens the adapter, then waits for a
 * wish (on or standby) and sends it; the loop only ever sets the wish.
 *
 * libcec is reached through its C interface (cecc.h) with dlopen(), the
 * entry points typed from that header's own declarations, so a changed
 * prototype fails to compile rather than to call.
 */
#include <dlfcn.h>
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libcec/cecc.h>

#include "board/cec.h"
#include "service/service.h"

#define LIBCEC_SO "libcec.so." CEC_LIB_VERSION_MAJOR_STR
#define OPEN_MS 10000           /* libcec's own wait for the adapter */
#define TRIES 3                 /* sends of a wish the TV does not take */
#define RETRY_S 2               /* the pause before the n-th resend: n * RETRY_S */

/* The few entry points used, resolved from the loaded library. */
struct api {
	__typeof__(libcec_clear_configuration) *clear_configuration;
	__typeof__(libcec_initialise) *initialise;
	__typeof__(libcec_detect_adapters) *detect_adapters;
	__typeof__(libcec_open) *open;
	__typeof__(libcec_close) *close;
	__typeof__(libcec_destroy) *destroy;
	__typeof__(libcec_power_on_devices) *power_on_devices;
	__typeof__(libcec_standby_devices) *standby_devices;
	__typeof__(libcec_set_active_source) *set_active_source;
	__typeof__(libcec_is_libcec_active_source) *is_libcec_active_source;
	__typeof__(libcec_get_active_source) *get_active_source;
};

struct cec {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int want;               /* -1: nothing asked yet; under mu */
	int quit;               /* under mu */
	char adapter[256];      /* "" = the first found */
	/* the thread's own */
	void *lib;
	struct api fn;
	libcec_connection_t conn;
	int is_open;
	int shown;              /* the board has been the TV's input since it started */
};

/* Resolves every entry point; 0, or -1 naming the first one missing. */
static int resolve(struct cec *c, char *why, size_t len)
{
	static const char *const name[] = {
		"libcec_clear_configuration", "libcec_initialise", "libcec_detect_adapters",
		"libcec_open", "libcec_close", "libcec_destroy", "libcec_power_on_devices",
		"libcec_standby_devices", "libcec_set_active_source",
		"libcec_is_libcec_active_source", "libcec_get_active_source",
	};
	void **slot = (void **)&c->fn;
	size_t i;

	/* struct api is exactly the list above, in its order */
	_Static_assert(sizeof(struct api) == sizeof name / sizeof name[0] * sizeof(void *),
		       "struct api and its names differ");
	for (i = 0; i < sizeof name / sizeof name[0]; i++) {
		slot[i] = dlsym(c->lib, name[i]);
		if (!slot[i]) {
			snprintf(why, len, "%s has no %s", LIBCEC_SO, name[i]);
			return -1;
		}
	}
	return 0;
}

/*
 * The configuration: a playback device called "hubkiosk" that wakes and
 * switches nothing by itself (libcec's defaults would power the TV on at
 * open and take the input), since the board decides when.
 */
static void configure(struct cec *c, libcec_configuration *cfg)
{
	/* libcec's defaults: this client's version, no device types */
	c->fn.clear_configuration(cfg);
	snprintf(cfg->strDeviceName, sizeof cfg->strDeviceName, "hubkiosk");
	cfg->deviceTypes.types[0] = CEC_DEVICE_TYPE_PLAYBACK_DEVICE;
	cfg->bActivateSource = 0;
	cfg->bPowerOffOnStandby = 0;
	memset(&cfg->wakeDevices, 0, sizeof cfg->wakeDevices);
	cfg->wakeDevices.primary = CECDEVICE_UNREGISTERED;
	memset(&cfg->powerOffDevices, 0, sizeof cfg->powerOffDevices);
	cfg->powerOffDevices.primary = CECDEVICE_UNREGISTERED;
}

/*
 * Whether this machine has a kernel CEC adapter at all. libcec is loaded
 * only then (or when an adapter is named): a board with none never pays
 * for it.
 */
static int kernel_adapter(void)
{
	glob_t g;
	int found = glob("/dev/cec[0-9]*", 0, NULL, &g) == 0 && g.gl_pathc > 0;

	globfree(&g);
	return found;
}

/* Loads libcec and opens the adapter; 0, or -1 with why. */
static int open_tv(struct cec *c, char *why, size_t len)
{
	libcec_configuration cfg;
	cec_adapter_descriptor found[4];
	const char *port = c->adapter;
	int8_t n;

	if (!*port && !kernel_adapter()) {
		snprintf(why, len, "this machine has no HDMI-CEC adapter (/dev/cec*)");
		return -1;
	}
	c->lib = dlopen(LIBCEC_SO, RTLD_NOW | RTLD_LOCAL);
	if (!c->lib) {
		snprintf(why, len, "libcec is not installed (%s)", dlerror());
		return -1;
	}
	if (resolve(c, why, len))
		return -1;
	configure(c, &cfg);
	c->conn = c->fn.initialise(&cfg);
	if (!c->conn) {
		snprintf(why, len, "libcec would not start");
		return -1;
	}
	if (!*port) {
		n = c->fn.detect_adapters(c->conn, found, 4, NULL, 1);
		if (n <= 0) {
			snprintf(why, len, "libcec finds no HDMI-CEC adapter");
			return -1;
		}
		if (strnlen(found[0].strComName, sizeof found[0].strComName) >= sizeof c->adapter) {
			snprintf(why, len, "libcec names its adapter too long a name");
			return -1;
		}
		memcpy(c->adapter, found[0].strComName, strlen(found[0].strComName) + 1);
	}
	if (!c->fn.open(c->conn, c->adapter, OPEN_MS)) {
		snprintf(why, len, "libcec cannot open the HDMI-CEC adapter %s", c->adapter);
		return -1;
	}
	c->is_open = 1;
	return 0;
}

/*
 * Sends one wish to the TV, and says in the log what was done: 0 when it
 * was done (or, for standby, deliberately not), -1 when the TV did not
 * take it and it is worth sending again.
 */
static int tell(struct cec *c, int on)
{
	if (on) {
		/* Image View On wakes the TV; Active Source is "show me" */
		int woke = c->fn.power_on_devices(c->conn, CECDEVICE_TV) != 0;
		int shown = c->fn.set_active_source(c->conn, CEC_DEVICE_TYPE_RESERVED) != 0;

		if (!woke)
			service_say("HDMI-CEC: the TV did not take 'power on'");
		if (!shown)
			service_say("HDMI-CEC: the TV did not take the board as its input");
		c->shown |= shown;
		if (!woke || !shown)
			return -1;
		service_say("HDMI-CEC: TV on, showing the board");
		return 0;
	}
	/*
	 * Standby only while the TV shows the board: it does if libcec says
	 * the board is the active source, and a board that has not been it
	 * since it started (just restarted, say) takes an unknown active
	 * source for itself. Someone who chose another input (a film at
	 * 23:00) is left watching.
	 */
	if (!c->fn.is_libcec_active_source(c->conn) &&
	    (c->shown || c->fn.get_active_source(c->conn) != CECDEVICE_UNKNOWN)) {
		service_say("HDMI-CEC: the TV shows another input; left on");
		return 0;
	}
	if (c->fn.standby_devices(c->conn, CECDEVICE_TV)) {
		service_say("HDMI-CEC: TV to standby");
		return 0;
	}
	service_say("HDMI-CEC: the TV did not take 'standby'");
	return -1;
}

/*
 * Waits up to s seconds, under mu, for a new wish or quit: a CEC line
 * drops a message now and then (a TV busy waking, a collision on the
 * bus), so a wish the TV did not take is sent again after a pause,
 * unless another has come meanwhile.
 */
static void pause_for(struct cec *c, int w, int s)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += s;
	while (!c->quit && c->want == w &&
	       pthread_cond_timedwait(&c->cv, &c->mu, &until) == 0)
		;
}

static void *run(void *arg)
{
	struct cec *c = arg;
	char why[300];
	int sent = -1, w, failed;

	if (open_tv(c, why, sizeof why)) {
		service_say("no HDMI-CEC: %s; a TV is blanked by DPMS or a black picture only",
			    why);
		return NULL;
	}
	service_say("HDMI-CEC: adapter %s open; in the dark hours the TV goes to standby",
		    c->adapter);
	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->quit && (c->want < 0 || c->want == sent))
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->quit)
			break;
		w = c->want;
		for (int tries = 1;; tries++) {
			pthread_mutex_unlock(&c->mu);
			failed = tell(c, w);
			pthread_mutex_lock(&c->mu);
			if (!failed || tries == TRIES)
				break;
			pause_for(c, w, RETRY_S * tries);       /* at once if w is stale */
			if (c->quit || c->want != w)
				break;
		}
		if (failed && !c->quit && c->want == w)
			service_say("HDMI-CEC: the TV did not answer %d times; "
				    "the next change of the screen tries again", TRIES);
		sent = w;
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct cec *cec_start(const char *adapter)
{
	struct cec *c = calloc(1, sizeof *c);
	pthread_condattr_t ca;

	if (!c) {
		service_say("no HDMI-CEC: out of memory");
		return NULL;
	}
	c->want = -1;
	snprintf(c->adapter, sizeof c->adapter, "%s", adapter ? adapter : "");
	pthread_mutex_init(&c->mu, NULL);
	/* pause_for() waits on the monotonic clock: a clock set by NTP at
	 * boot neither cuts a pause short nor stretches it */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&c->thread, NULL, run, c) != 0) {
		service_say("no HDMI-CEC: its thread cannot be started");
		pthread_cond_destroy(&c->cv);
		pthread_mutex_destroy(&c->mu);
		free(c);
		return NULL;
	}
	return c;
}

void cec_want(struct cec *c, int on)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->want = !!on;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

void cec_stop(struct cec *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->quit = 1;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	/* the thread may be inside libcec's open: that ends by OPEN_MS */
	pthread_join(c->thread, NULL);
	if (c->is_open)
		c->fn.close(c->conn);
	if (c->conn)
		c->fn.destroy(c->conn);
	if (c->lib)
		dlclose(c->lib);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c);
}
