/*
 * kms-bench: frames per second of a full-screen damage loop on a DRM card
 * (suite kms-bench), the way a software-rendering compositor updates its
 * screen.
 *
 *   kms-bench draw CARD SECONDS
 *       sets the first connected connector's first mode on CARD with one
 *       dumb buffer (XRGB8888, atomic modesetting), then for SECONDS: fills
 *       the whole buffer with the next grey and commits it (a blocking
 *       atomic commit of the primary plane, with FB_DAMAGE_CLIPS of the
 *       whole screen where the plane has that property; a plane without
 *       it takes a commit as damage of the whole framebuffer)
 *
 * Prints key=value lines: the mode (its refresh rate: a card with vblank
 * completes a commit at the next one), frames, fps, and the program's CPU
 * time per frame (its drawing, and the commit's work done in its context).
 * Kernel uapi headers only (no libdrm-dev).
 */
#include <drm/drm.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_mode.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_IDS 64

static int fd;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void xioctl(unsigned long req, void *arg, const char *what)
{
	int err;

	do
		err = ioctl(fd, req, arg);
	while (err && (errno == EINTR || errno == EAGAIN));
	if (err) {
		perror(what);
		exit(1);
	}
}

static uint64_t ptr(const void *p)
{
	return (uintptr_t)p;
}

/* The id of property @name of object @id (of @type), 0 if it has none. */
static uint32_t prop_id(uint32_t id, uint32_t type, const char *name,
			uint64_t *value)
{
	uint32_t props[MAX_IDS];
	uint64_t values[MAX_IDS];
	struct drm_mode_obj_get_properties op = {
		.props_ptr = ptr(props), .prop_values_ptr = ptr(values),
		.count_props = MAX_IDS, .obj_id = id, .obj_type = type,
	};

	xioctl(DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &op, "OBJ_GETPROPERTIES");
	for (uint32_t i = 0; i < op.count_props && i < MAX_IDS; i++) {
		struct drm_mode_get_property p = { .prop_id = props[i] };

		xioctl(DRM_IOCTL_MODE_GETPROPERTY, &p, "GETPROPERTY");
		if (!strcmp(p.name, name)) {
			if (value)
				*value = values[i];
			return props[i];
		}
	}
	return 0;
}

static uint32_t need_prop(uint32_t id, uint32_t type, const char *name)
{
	uint32_t p = prop_id(id, type, name, NULL);

	if (!p) {
		fprintf(stderr, "no property %s on object %u\n", name, id);
		exit(1);
	}
	return p;
}

static uint32_t blob(const void *data, uint32_t len)
{
	struct drm_mode_create_blob b = { .data = ptr(data), .length = len };

	xioctl(DRM_IOCTL_MODE_CREATEPROPBLOB, &b, "CREATEPROPBLOB");
	return b.blob_id;
}

/* An atomic request: up to 16 properties of up to 4 objects. */
struct req {
	uint32_t objs[4], counts[4], props[16];
	uint64_t values[16];
	uint32_t nobjs, nprops;
};

static void add(struct req *r, uint32_t obj, uint32_t prop, uint64_t value)
{
	if (!r->nobjs || r->objs[r->nobjs - 1] != obj) {
		r->objs[r->nobjs] = obj;
		r->counts[r->nobjs++] = 0;
	}
	r->counts[r->nobjs - 1]++;
	r->props[r->nprops] = prop;
	r->values[r->nprops++] = value;
}

static void commit(struct req *r, uint32_t flags)
{
	struct drm_mode_atomic a = {
		.flags = flags, .count_objs = r->nobjs, .objs_ptr = ptr(r->objs),
		.count_props_ptr = ptr(r->counts), .props_ptr = ptr(r->props),
		.prop_values_ptr = ptr(r->values),
	};

	xioctl(DRM_IOCTL_MODE_ATOMIC, &a, "ATOMIC");
}

struct output {
	uint32_t connector, crtc, plane;
	struct drm_mode_modeinfo mode;
};

/* The first connected connector, its first mode, a CRTC and its primary plane. */
static void find_output(struct output *o)
{
	uint32_t crtcs[MAX_IDS], conns[MAX_IDS], encs[MAX_IDS], planes[MAX_IDS];
	struct drm_mode_card_res res = {
		.crtc_id_ptr = ptr(crtcs), .connector_id_ptr = ptr(conns),
		.encoder_id_ptr = ptr(encs), .count_crtcs = MAX_IDS,
		.count_connectors = MAX_IDS, .count_encoders = MAX_IDS,
	};
	struct drm_mode_get_plane_res pres = {
		.plane_id_ptr = ptr(planes), .count_planes = MAX_IDS,
	};
	uint32_t crtc_index = 0;

	xioctl(DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES");
	o->connector = 0;
	for (uint32_t i = 0; i < res.count_connectors && !o->connector; i++) {
		struct drm_mode_modeinfo modes[256];
		uint32_t cencs[MAX_IDS];
		struct drm_mode_get_connector c = { .connector_id = conns[i] };
		struct drm_mode_get_encoder e = { 0 };

		/* No modes asked for: the connector is probed first. */
		xioctl(DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR");
		if (c.connection != 1 || !c.count_modes || !c.count_encoders ||
		    c.count_modes > 256 || c.count_encoders > MAX_IDS)
			continue;
		c = (struct drm_mode_get_connector){
			.connector_id = conns[i], .modes_ptr = ptr(modes),
			.count_modes = 256, .encoders_ptr = ptr(cencs),
			.count_encoders = MAX_IDS,
		};
		xioctl(DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR");
		e.encoder_id = cencs[0];
		xioctl(DRM_IOCTL_MODE_GETENCODER, &e, "GETENCODER");
		while (crtc_index < res.count_crtcs &&
		       !(e.possible_crtcs & (1u << crtc_index)))
			crtc_index++;
		if (crtc_index == res.count_crtcs)
			continue;
		o->connector = conns[i];
		o->crtc = crtcs[crtc_index];
		o->mode = modes[0];
	}
	if (!o->connector) {
		fprintf(stderr, "no connected connector\n");
		exit(1);
	}

	xioctl(DRM_IOCTL_MODE_GETPLANERESOURCES, &pres, "GETPLANERESOURCES");
	o->plane = 0;
	for (uint32_t i = 0; i < pres.count_planes && !o->plane; i++) {
		struct drm_mode_get_plane p = { .plane_id = planes[i] };
		uint64_t type = 0;

		xioctl(DRM_IOCTL_MODE_GETPLANE, &p, "GETPLANE");
		prop_id(planes[i], DRM_MODE_OBJECT_PLANE, "type", &type);
		if ((p.possible_crtcs & (1u << crtc_index)) &&
		    type == 1 /* DRM_PLANE_TYPE_PRIMARY */)
			o->plane = planes[i];
	}
	if (!o->plane) {
		fprintf(stderr, "no primary plane\n");
		exit(1);
	}
}

static int draw(const char *card, double seconds)
{
	struct drm_set_client_cap universal = { DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1 };
	struct drm_set_client_cap atomic = { DRM_CLIENT_CAP_ATOMIC, 1 };
	struct drm_mode_create_dumb dumb = { .bpp = 32 };
	struct drm_mode_fb_cmd2 fb = { .pixel_format = DRM_FORMAT_XRGB8888 };
	struct drm_mode_map_dumb map = { 0 };
	struct drm_mode_rect all;
	struct output o;
	struct req r = { 0 };
	uint32_t fb_id_prop, damage_prop;
	double start, end, cpu;
	unsigned char *pixels;
	unsigned long frames = 0;

	fd = open(card, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror(card);
		return 1;
	}
	xioctl(DRM_IOCTL_SET_CLIENT_CAP, &universal, "UNIVERSAL_PLANES");
	xioctl(DRM_IOCTL_SET_CLIENT_CAP, &atomic, "ATOMIC");
	find_output(&o);

	dumb.width = o.mode.hdisplay;
	dumb.height = o.mode.vdisplay;
	xioctl(DRM_IOCTL_MODE_CREATE_DUMB, &dumb, "CREATE_DUMB");
	fb.width = dumb.width;
	fb.height = dumb.height;
	fb.handles[0] = dumb.handle;
	fb.pitches[0] = dumb.pitch;
	xioctl(DRM_IOCTL_MODE_ADDFB2, &fb, "ADDFB2");
	map.handle = dumb.handle;
	xioctl(DRM_IOCTL_MODE_MAP_DUMB, &map, "MAP_DUMB");
	pixels = mmap(NULL, dumb.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		      map.offset);
	if (pixels == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(pixels, 0, dumb.size);

	/* The mode, the plane at full size. */
	fb_id_prop = need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "FB_ID");
	add(&r, o.crtc, need_prop(o.crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID"),
	    blob(&o.mode, sizeof(o.mode)));
	add(&r, o.crtc, need_prop(o.crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE"), 1);
	add(&r, o.connector,
	    need_prop(o.connector, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID"), o.crtc);
	add(&r, o.plane, fb_id_prop, fb.fb_id);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID"), o.crtc);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "SRC_X"), 0);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "SRC_Y"), 0);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "SRC_W"),
	    (uint64_t)fb.width << 16);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "SRC_H"),
	    (uint64_t)fb.height << 16);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "CRTC_X"), 0);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "CRTC_Y"), 0);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "CRTC_W"), fb.width);
	add(&r, o.plane, need_prop(o.plane, DRM_MODE_OBJECT_PLANE, "CRTC_H"), fb.height);
	commit(&r, DRM_MODE_ATOMIC_ALLOW_MODESET);

	/* Each frame: the plane's framebuffer again, all of it damaged. */
	all = (struct drm_mode_rect){ 0, 0, fb.width, fb.height };
	damage_prop = prop_id(o.plane, DRM_MODE_OBJECT_PLANE, "FB_DAMAGE_CLIPS", NULL);
	r = (struct req){ 0 };
	add(&r, o.plane, fb_id_prop, fb.fb_id);
	if (damage_prop)
		add(&r, o.plane, damage_prop, blob(&all, sizeof(all)));
	printf("mode=%ux%u@%u\ndamage_clips=%s\n", o.mode.hdisplay,
	       o.mode.vdisplay, o.mode.vrefresh, damage_prop ? "yes" : "no");

	cpu = cpu_ms();
	start = now_ms();
	end = start + seconds * 1e3;
	do {
		memset(pixels, (int)(frames & 0xff), dumb.size);
		commit(&r, 0);
		frames++;
	} while (now_ms() < end);
	printf("frames=%lu\nfps=%.1f\ncpu_ms_per_frame=%.2f\n", frames,
	       frames * 1e3 / (now_ms() - start), (cpu_ms() - cpu) / frames);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "draw"))
		return draw(argv[2], atof(argv[3]));
	fprintf(stderr, "usage: see the comment at the top of kms-bench.c\n");
	return 2;
}
