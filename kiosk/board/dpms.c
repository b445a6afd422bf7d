/*
 * dpms.c - the monitor's own standby under KMS (see dpms.h). Start at
 * dpms_open(): SDL's DRM descriptor, then the connector of the window's
 * display, then that connector's "DPMS" property.
 *
 * SDL's kmsdrm driver numbers its displays in the order of the card's
 * connectors, counting those that are connected and have a mode; the
 * window's display index is found again here by the same count.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_syswm.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "board/dpms.h"
#include "core/hk.h"

struct dpms {
	int fd;                 /* SDL's; borrowed, never closed here */
	uint32_t connector;     /* the connector's object id */
	uint32_t prop;          /* its DPMS property's id */
	char name[32];
};

/* SDL's DRM descriptor for win; -1 with why where SDL's video is not kmsdrm. */
static int sdl_drm_fd(SDL_Window *win, char *why, size_t len)
{
	SDL_SysWMinfo info;
	const char *drv = SDL_GetCurrentVideoDriver();

	if (!drv || SDL_strcasecmp(drv, "kmsdrm") != 0) {
		snprintf(why, len, "SDL video %s has no DRM connector", drv ? drv : "(none)");
		return -1;
	}
	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(win, &info)) {
		snprintf(why, len, "SDL says nothing of its window (%s)", SDL_GetError());
		return -1;
	}
#if defined(SDL_VIDEO_DRIVER_KMSDRM)
	if (info.subsystem == SDL_SYSWM_KMSDRM && info.info.kmsdrm.drm_fd >= 0)
		return info.info.kmsdrm.drm_fd;
#endif
	snprintf(why, len, "SDL's kmsdrm gave no DRM descriptor");
	return -1;
}

/* The id of obj's property called name, or 0. */
static uint32_t property(int fd, uint32_t obj, const char *name)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj,
								    DRM_MODE_OBJECT_CONNECTOR);
	uint32_t id = 0, i;

	for (i = 0; props && !id && i < props->count_props; i++) {
		drmModePropertyRes *p = drmModeGetProperty(fd, props->props[i]);

		if (p && strcmp(p->name, name) == 0)
			id = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return id;
}

/* The index-th connected connector with a mode, as SDL counts its
 * displays; its id and name into d. Read as the kernel has it already
 * (no new probe of the monitors, which can take a second per port). */
static int find_connector(int fd, int index, struct dpms *d)
{
	drmModeRes *res = drmModeGetResources(fd);
	int i, seen = 0, rc = HK_ENOTFOUND;

	for (i = 0; res && rc && i < res->count_connectors; i++) {
		drmModeConnector *c = drmModeGetConnectorCurrent(fd, res->connectors[i]);
		const char *type;

		if (c && c->connection == DRM_MODE_CONNECTED && c->count_modes > 0 &&
		    seen++ == index) {
			type = drmModeGetConnectorTypeName(c->connector_type);
			d->connector = c->connector_id;
			snprintf(d->name, sizeof d->name, "%s-%u", type ? type : "unknown",
				 c->connector_type_id);
			rc = 0;
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	return rc;
}

int dpms_open(SDL_Window *win, struct dpms **out, char *why, size_t len)
{
	struct dpms *d;
	int fd, index;

	*out = NULL;
	fd = sdl_drm_fd(win, why, len);
	if (fd < 0)
		return HK_EUNSUPPORTED;
	d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(why, len, "out of memory");
		return HK_ENOMEM;
	}
	d->fd = fd;
	index = SDL_GetWindowDisplayIndex(win);
	if (find_connector(fd, index < 0 ? 0 : index, d)) {
		snprintf(why, len, "no connected DRM connector for SDL's display %d", index);
		goto err_free;
	}
	d->prop = property(fd, d->connector, "DPMS");
	if (!d->prop) {
		snprintf(why, len, "the connector %s has no DPMS property", d->name);
		goto err_free;
	}
	*out = d;
	return 0;
err_free:
	free(d);
	return HK_ENOTFOUND;
}

int dpms_set(struct dpms *d, int on, char *why, size_t len)
{
	uint64_t mode = on ? DRM_MODE_DPMS_ON : DRM_MODE_DPMS_OFF;
	int rc;

	/* An atomic driver (vc4, virtio-gpu) makes this a blocking commit
	 * that switches the connector's CRTC off or on again, after the frame
	 * in flight; libdrm returns -errno. */
	rc = drmModeConnectorSetProperty(d->fd, d->connector, d->prop, mode);
	if (rc == 0)
		return 0;
	snprintf(why, len, "DPMS %s on %s: %s", on ? "On" : "Off", d->name, strerror(-rc));
	return HK_EIO;
}

const char *dpms_name(const struct dpms *d)
{
	return d->name;
}

void dpms_close(struct dpms *d)
{
	free(d);
}
