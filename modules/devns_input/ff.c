// SPDX-License-Identifier: GPL-2.0
/*
 * Force feedback through mirrors.
 *
 * A mirror of a force-feedback device has its own ff core, with the same
 * effect types and number of effects: uploads, erases, plays, gain and
 * autocenter written by the persona are checked and kept there, exactly as
 * on the device, and remembered in the mirror's struct dni_ff.  The hardware
 * holds the effects of the active persona only: dni_ff_show() uploads them
 * (under their own ids on the device, owned by a per-mirror cookie, beside
 * the root's), plays what is playing and sets the persona's gain and
 * autocenter; dni_ff_unload() stops and erases them again.  Both run from
 * dni_ff_work, which a switch or dni_output_work queues (dni_ff_queue()),
 * under dni_ff_lock alone: uploading to and erasing from a uinput device
 * waits for its user space, up to 30 s each, and neither a switch nor the
 * core may wait for that.  A device that made us wait that long once gets
 * no more of the personas' effects.  The mirror's callbacks (under its ff
 * mutex or its event_lock) only record and queue dni_output_work.
 */
#include <linux/jiffies.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include "devns_input.h"

/* One effect slot of a mirror. */
struct dni_ff_effect {
	/* what the persona did; the mirror's event_lock */
	struct ff_effect effect;
	u32 created;		/* upload that created it; 0: no effect */
	u32 updated;		/* its last upload */
	u32 played;		/* plays and stops so far */
	int count;		/* repetitions asked for; 0: stopped */
	unsigned long start;	/* jiffies at the play */

	/* its copy on the hardware; dni_lock */
	int hw_id;		/* -1: not on the hardware */
	u32 hw_created, hw_updated, hw_played;
	bool hw_playing;
};

struct dni_ff {
	int set[DNI_FF_SETTINGS];	/* gain, autocenter; -1: never set */
	u32 seq;			/* uploads so far */
	unsigned int max;
	struct dni_ff_effect fx[];
};

DEFINE_MUTEX(dni_ff_lock);
struct workqueue_struct *dni_ff_wq;
DECLARE_WORK(dni_ff_work, dni_ff_sync);

/* Gain and autocenter of a side that never set them. */
static const int dni_ff_default[DNI_FF_SETTINGS] = { 0xffff, 0 };

static struct dni_ff *dni_ff_of(struct input_dev *dev)
{
	return dev->ff->private;
}

/* Our effects on the physical device are owned by this, not by a file. */
static struct file *dni_ff_owner(struct dni_mirror *m)
{
	return (struct file *)m;
}

/* The mirror's ff callbacks: the persona's view, kept for dni_ff_show(). */

static int dni_ff_upload(struct input_dev *dev, struct ff_effect *effect,
			 struct ff_effect *old)
{
	struct dni_ff *ff = dni_ff_of(dev);
	struct dni_ff_effect *fx = &ff->fx[effect->id];

	/* Its samples are behind a pointer into the uploader's memory. */
	if (effect->type == FF_PERIODIC &&
	    effect->u.periodic.waveform == FF_CUSTOM)
		return -EINVAL;

	spin_lock_irq(&dev->event_lock);
	fx->effect = *effect;
	fx->updated = ++ff->seq;
	if (!old)
		fx->created = fx->updated;
	spin_unlock_irq(&dev->event_lock);
	queue_work(dni_wq, &dni_output_work);
	return 0;
}

/* The ff core has stopped it already. */
static int dni_ff_erase(struct input_dev *dev, int effect_id)
{
	struct dni_ff_effect *fx = &dni_ff_of(dev)->fx[effect_id];

	spin_lock_irq(&dev->event_lock);
	fx->created = 0;
	spin_unlock_irq(&dev->event_lock);
	queue_work(dni_wq, &dni_output_work);
	return 0;
}

/* The mirror's event_lock is held. */
static int dni_ff_playback(struct input_dev *dev, int effect_id, int value)
{
	struct dni_ff_effect *fx = &dni_ff_of(dev)->fx[effect_id];

	fx->count = value;
	fx->start = jiffies;
	fx->played++;
	queue_work(dni_wq, &dni_output_work);
	return 0;
}

static void dni_ff_set(struct input_dev *dev, unsigned int code, u16 value)
{
	WRITE_ONCE(dni_ff_of(dev)->set[code - FF_GAIN], value);
	queue_work(dni_wq, &dni_output_work);
}

static void dni_ff_set_gain(struct input_dev *dev, u16 gain)
{
	dni_ff_set(dev, FF_GAIN, gain);
}

static void dni_ff_set_autocenter(struct input_dev *dev, u16 magnitude)
{
	dni_ff_set(dev, FF_AUTOCENTER, magnitude);
}

/*
 * Give the mirror @dev (not registered yet) the force feedback of @src.
 * The ff core owns what is allocated here and frees it with @dev.
 */
int dni_mirror_ff_init(struct input_dev *dev, const struct input_dev *src)
{
	unsigned int max = src->ff->max_effects, i;
	struct dni_ff *ff;
	int err;

	ff = kzalloc(struct_size(ff, fx, max), GFP_KERNEL);
	if (!ff)
		return -ENOMEM;
	ff->max = max;
	for (i = 0; i < DNI_FF_SETTINGS; i++)
		ff->set[i] = -1;
	for (i = 0; i < max; i++)
		ff->fx[i].hw_id = -1;

	bitmap_copy(dev->ffbit, src->ffbit, FF_CNT);
	err = input_ff_create(dev, max);
	if (err) {
		kfree(ff);
		return err;
	}
	dev->ff->private = ff;
	dev->ff->upload = dni_ff_upload;
	dev->ff->erase = dni_ff_erase;
	dev->ff->playback = dni_ff_playback;
	dev->ff->set_gain = dni_ff_set_gain;
	dev->ff->set_autocenter = dni_ff_set_autocenter;
	return 0;
}

/*
 * Repetitions still to play of @count plays begun at @start of an effect
 * replayed as @r: a play ends after count x (delay + length), never if the
 * length is 0.
 */
static int dni_ff_left(const struct ff_replay *r, int count,
		       unsigned long start)
{
	unsigned int period = r->delay + r->length;
	unsigned long done;

	if (count <= 0 || !r->length)
		return max(count, 0);
	done = jiffies_to_msecs(jiffies - start) / period;
	return done >= count ? 0 : count - done;
}

static int dni_ff_remaining(const struct dni_ff_effect *fx)
{
	return dni_ff_left(&fx->effect.replay, fx->count, fx->start);
}

/*
 * The root's effects stay on the device, but its plays not yet over stop
 * while a persona is active (@play false; the target is no longer the
 * root, so the filter does not note these stops) and play on with the
 * repetitions left when the root is back (@play true).  dni_ff_lock held.
 */
static void dni_ff_root_plays(struct dni_phys *phys, bool play)
{
	struct input_dev *dev = phys->handle.dev;
	struct ff_device *ff = dev->ff;
	struct dni_ff_play p;
	unsigned int id;
	int n;

	mutex_lock(&ff->mutex);
	for (id = 0; id < ff->max_effects; id++) {
		if (!ff->effect_owners[id])
			continue;
		spin_lock_irq(&dev->event_lock);
		p = phys->root_play[id];
		spin_unlock_irq(&dev->event_lock);
		n = dni_ff_left(&ff->effects[id].replay, p.count, p.start);
		if (n)
			input_inject_event(&phys->route, EV_FF, id, play ? n : 0);
	}
	mutex_unlock(&ff->mutex);
	phys->ff_root_paused = !play;
}

/* An upload or erase timed out: the device's user space does not answer. */
static void dni_ff_note_stuck(struct dni_phys *phys, int err)
{
	if (err != -ETIMEDOUT || phys->ff_stuck)
		return;
	phys->ff_stuck = true;
	dev_warn(&phys->handle.dev->dev,
		 "devns: force feedback timed out: no more effects of personas\n");
}

/*
 * dni_ff_lock held, @phys alive: stop and remove @m's effects from the
 * device (on a stuck one, forget them).
 */
static void dni_ff_unload(struct dni_phys *phys, struct dni_mirror *m)
{
	struct dni_ff *ff = dni_ff_of(m->dev);
	unsigned int i;
	int err;

	lockdep_assert_held(&dni_ff_lock);
	for (i = 0; i < ff->max; i++) {
		struct dni_ff_effect *fx = &ff->fx[i];

		if (fx->hw_id < 0)
			continue;
		if (!phys->ff_stuck) {
			err = input_ff_erase(phys->handle.dev, fx->hw_id,
					     dni_ff_owner(m));
			if (err)
				dev_warn_ratelimited(&phys->handle.dev->dev,
						     "devns: cannot erase effect %d (%d)\n",
						     fx->hw_id, err);
			dni_ff_note_stuck(phys, err);
		}
		fx->hw_id = -1;
		fx->hw_playing = false;
	}
	phys->ff_loaded = NULL;
}

/*
 * dni_ff_lock held: @m, unpublished, is about to be destroyed; its effects
 * leave its device if that is still there (@alive).
 */
void dni_ff_retire(struct dni_mirror *m, bool alive)
{
	lockdep_assert_held(&dni_ff_lock);
	if (m->phys->ff_loaded != m)
		return;
	if (alive)
		dni_ff_unload(m->phys, m);
	m->phys->ff_loaded = NULL;
}

/* Put one of @m's effects on the device as the persona has it. */
static void dni_ff_load_effect(struct dni_phys *phys, struct dni_mirror *m,
			       struct dni_ff_effect *fx)
{
	struct input_dev *dev = phys->handle.dev;
	struct dni_ff_effect want;
	int err, n;

	spin_lock_irq(&m->dev->event_lock);
	want = *fx;
	spin_unlock_irq(&m->dev->event_lock);

	/* Erased, or erased and another one uploaded in its place. */
	if (fx->hw_id >= 0 && want.created != fx->hw_created) {
		input_ff_erase(dev, fx->hw_id, dni_ff_owner(m));
		fx->hw_id = -1;
	}
	if (!want.created)
		return;
	if (fx->hw_id < 0 || want.updated != fx->hw_updated) {
		struct ff_effect e = want.effect;

		e.id = fx->hw_id;
		err = input_ff_upload(dev, &e, dni_ff_owner(m));
		if (err) {
			dev_warn_ratelimited(&dev->dev,
					     "devns: cannot upload an effect (%d)\n",
					     err);
			dni_ff_note_stuck(phys, err);
			return;
		}
		if (fx->hw_id < 0) {
			fx->hw_played = 0;
			fx->hw_playing = false;
		}
		fx->hw_id = e.id;
		fx->hw_created = want.created;
		fx->hw_updated = want.updated;
	}
	if (want.played != fx->hw_played) {
		n = dni_ff_remaining(&want);
		if (n || fx->hw_playing)
			input_inject_event(&phys->route, EV_FF, fx->hw_id, n);
		fx->hw_playing = n > 0;
		fx->hw_played = want.played;
	}
}

/*
 * Gain and autocenter as @set has them.  A side that never set one gets
 * the default, unless nobody has touched the device's since we know it.
 * The SYN_REPORT hands the values to our handlers, which note them.
 */
static void dni_ff_settings(struct dni_phys *phys, const int *set)
{
	struct input_dev *dev = phys->handle.dev;
	bool sent = false;
	unsigned int i;
	int want, cur;

	for (i = 0; i < DNI_FF_SETTINGS; i++) {
		if (!test_bit(FF_GAIN + i, dev->ffbit))
			continue;
		cur = READ_ONCE(phys->ff_set[i]);
		want = READ_ONCE(set[i]);
		if (want < 0) {
			if (cur < 0)
				continue;
			want = dni_ff_default[i];
		}
		if (want == cur)
			continue;
		input_inject_event(&phys->route, EV_FF, FF_GAIN + i, want);
		sent = true;
	}
	if (sent)
		input_inject_event(&phys->route, EV_SYN, SYN_REPORT, 0);
}

/*
 * dni_ff_lock held: make the device's force feedback @target's (@m, its
 * mirror, if a persona's).  The root's effects stay on the device whoever
 * is active (they belong to its files), its plays only while it is the
 * target; a persona's effects are there only while it is the target.
 */
static void dni_ff_show(struct dni_phys *phys, int target,
			struct dni_mirror *m)
{
	struct dni_ff *ff;
	unsigned int i;

	if (phys->ff_loaded && phys->ff_loaded != m)
		dni_ff_unload(phys, phys->ff_loaded);
	if (!target) {
		dni_ff_settings(phys, phys->root_ff_set);
		if (phys->ff_root_paused)
			dni_ff_root_plays(phys, true);
	} else if (!phys->ff_root_paused) {
		dni_ff_root_plays(phys, false);
	}
	if (!m || phys->ff_stuck)
		return;
	ff = dni_ff_of(m->dev);
	phys->ff_loaded = m;
	for (i = 0; i < ff->max && !phys->ff_stuck; i++)
		dni_ff_load_effect(phys, m, &ff->fx[i]);
	dni_ff_settings(phys, ff->set);
}

/* dni_lock held: @phys's force feedback is to follow its target (dni_ff_work). */
void dni_ff_queue(struct dni_phys *phys)
{
	lockdep_assert_held(&dni_lock);
	if (!phys->handle.dev->ff)
		return;
	phys->ff_pending = true;
	queue_work(dni_ff_wq, &dni_ff_work);
}

/*
 * Each device queued gets its target's force feedback, without dni_lock:
 * dni_ff_lock keeps the device (its disconnect() takes it) and the mirror
 * (the reconcile work retires it under it before destroying it).
 */
void dni_ff_sync(struct work_struct *work)
{
	struct dni_mirror *m;
	struct dni_phys *phys;
	int target;

	mutex_lock(&dni_ff_lock);
	for (;;) {
		mutex_lock(&dni_lock);
		list_for_each_entry(phys, &dni_phys_list, node)
			if (phys->ff_pending)
				break;
		if (list_entry_is_head(phys, &dni_phys_list, node)) {
			mutex_unlock(&dni_lock);
			break;
		}
		phys->ff_pending = false;
		target = dni_phys_target(phys, READ_ONCE(dni_target));
		m = target > 0 ?
		    rcu_dereference_protected(phys->mirror[target],
					      lockdep_is_held(&dni_lock)) : NULL;
		mutex_unlock(&dni_lock);
		dni_ff_show(phys, target, m);
	}
	mutex_unlock(&dni_ff_lock);
}
