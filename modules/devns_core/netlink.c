// SPDX-License-Identifier: GPL-2.0
/*
 * The "devns" generic netlink family: requests from devnsd and tools, and
 * the "events" multicast group.  See include/uapi/linux/devns.h.
 */
#include <linux/input-event-codes.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include "devns_core.h"

static struct genl_family devns_family;

enum { DEVNS_MCGRP_EVENTS };

/*
 * Only listeners with CAP_SYS_ADMIN in the initial user namespace may join
 * (a persona in a user namespace of its own may not); only the kernel's
 * messages carry port id 0, which is how listeners tell forged ones.
 */
static const struct genl_multicast_group devns_mcgrps[] = {
	[DEVNS_MCGRP_EVENTS] = { .name = DEVNS_GENL_MCGRP_EVENTS,
				 .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

static const struct nla_policy devns_ns_policy[DEVNS_A_PIDFD + 1] = {
	[DEVNS_A_ID]	= NLA_POLICY_MAX(NLA_U32, DEVNS_MAX_ID),
	[DEVNS_A_PID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[DEVNS_A_TAG]	= { .type = NLA_NUL_STRING, .len = DEVNS_TAG_LEN - 1 },
	[DEVNS_A_PIDFD]	= { .type = NLA_U32 },
};

static const struct nla_policy devns_hotkey_policy[DEVNS_HOTKEY_A_MAX + 1] = {
	[DEVNS_HOTKEY_A_SLOT] = NLA_POLICY_MAX(NLA_U32, DEVNS_HOTKEY_SLOT_MAX),
	[DEVNS_HOTKEY_A_KEYS] = { .type = NLA_BINARY,
				  .len = DEVNS_HOTKEY_KEYS_MAX * sizeof(u16) },
};

static const struct nla_policy devns_hotkeys_policy[DEVNS_A_MAX + 1] = {
	[DEVNS_A_HOTKEY]	  = NLA_POLICY_NESTED(devns_hotkey_policy),
	[DEVNS_A_HOTKEYS_DEFAULT] = { .type = NLA_FLAG },
};

/* @ns with its init's pid @init_nr (0: not in the reader's pid namespace). */
static int devns_nl_put_ns(struct sk_buff *skb, struct devns *ns, pid_t init_nr)
{
	char tag[DEVNS_TAG_LEN];

	devns_tag(ns, tag);
	if (nla_put_u32(skb, DEVNS_A_ID, ns->id) ||
	    nla_put_u32(skb, DEVNS_A_PID, init_nr) ||
	    nla_put_string(skb, DEVNS_A_TAG, tag) ||
	    (devns_is_active(ns) && nla_put_flag(skb, DEVNS_A_ACTIVE)) ||
	    nla_put_u64_64bit(skb, DEVNS_A_ACTIVATED_NS, ns->activated_ns,
			      DEVNS_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/* A reply or dump entry, as the caller sees @ns. */
static int devns_nl_fill_ns(struct sk_buff *skb, struct devns *ns, u32 portid,
			    u32 seq, int flags, u8 cmd)
{
	void *hdr = genlmsg_put(skb, portid, seq, &devns_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (devns_nl_put_ns(skb, ns, devns_caller_init_nr(ns))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int devns_nl_reply_ns(struct genl_info *info, struct devns *ns)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	int err;

	if (!skb)
		return -ENOMEM;
	err = devns_nl_fill_ns(skb, ns, info->snd_portid, info->snd_seq, 0,
			       info->genlhdr->cmd);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_reply(skb, info);
}

/* How many of DEVNS_A_ID, DEVNS_A_PID and DEVNS_A_PIDFD a request has. */
static int devns_nl_names(struct genl_info *info)
{
	return !!info->attrs[DEVNS_A_ID] + !!info->attrs[DEVNS_A_PID] +
	       !!info->attrs[DEVNS_A_PIDFD];
}

/* The process named by DEVNS_A_PIDFD or else DEVNS_A_PID, with a reference. */
static struct pid *devns_nl_pid(struct genl_info *info)
{
	struct nlattr *pidfd = info->attrs[DEVNS_A_PIDFD];

	if (pidfd)
		return devns_pid_of_pidfd(nla_get_u32(pidfd), info->extack);
	return devns_pid_of_nr(nla_get_u32(info->attrs[DEVNS_A_PID]),
			       info->extack);
}

/*
 * Under devns_mutex: the devns a request names by one of DEVNS_A_ID,
 * DEVNS_A_PID and DEVNS_A_PIDFD.  One the caller may not see is answered as
 * one that does not exist.
 */
static struct devns *devns_nl_target(struct genl_info *info)
{
	struct nlattr *id = info->attrs[DEVNS_A_ID];
	struct devns *ns;
	struct pid *pid;

	if (devns_nl_names(info) != 1) {
		NL_SET_ERR_MSG(info->extack,
			       "name the device namespace by one of an id, a pid and a pidfd");
		return ERR_PTR(-EINVAL);
	}
	if (id) {
		ns = devns_find_id(nla_get_u32(id));
		if (!ns || !devns_caller_sees(ns)) {
			NL_SET_ERR_MSG_ATTR(info->extack, id,
					    "no such device namespace");
			return ERR_PTR(-ENOENT);
		}
		return ns;
	}
	pid = devns_nl_pid(info);
	if (IS_ERR(pid))
		return ERR_CAST(pid);
	ns = devns_of_pid(pid);
	put_pid(pid);
	if (!devns_caller_sees(ns)) {
		NL_SET_ERR_MSG(info->extack, "no such process");
		return ERR_PTR(-ESRCH);
	}
	return ns;
}

static int devns_nl_may_change(struct sk_buff *skb, struct genl_info *info)
{
	return devns_caller_may_change(netlink_capable(skb, CAP_SYS_ADMIN),
				       info->extack);
}

static int devns_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct devns *ns;
	int err;

	mutex_lock(&devns_mutex);
	ns = devns_nl_target(info);
	err = IS_ERR(ns) ? PTR_ERR(ns) : devns_nl_reply_ns(info, ns);
	mutex_unlock(&devns_mutex);
	return err;
}

/* Dumps in id order what the caller may see; cb->args[0] is the next id. */
static int devns_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct devns *ns;
	u32 id;

	mutex_lock(&devns_mutex);
	for (id = cb->args[0]; id <= DEVNS_MAX_ID; id++) {
		ns = devns_find_id(id);
		if (!ns || !devns_caller_sees(ns))
			continue;
		if (devns_nl_fill_ns(skb, ns, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     DEVNS_CMD_GET))
			break;
	}
	mutex_unlock(&devns_mutex);
	cb->args[0] = id;
	return skb->len;
}

static int devns_nl_create(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tag = info->attrs[DEVNS_A_TAG];
	struct devns *ns;
	struct pid *pid;
	int err;

	err = devns_nl_may_change(skb, info);
	if (err)
		return err;
	if (info->attrs[DEVNS_A_ID] || devns_nl_names(info) != 1) {
		NL_SET_ERR_MSG(info->extack, "a pid or a pidfd (one of them) is required");
		return -EINVAL;
	}

	mutex_lock(&devns_mutex);
	pid = devns_nl_pid(info);
	if (IS_ERR(pid)) {
		err = PTR_ERR(pid);
		goto out;
	}
	ns = devns_create(pid, tag ? nla_data(tag) : NULL, info->extack);
	put_pid(pid);
	err = IS_ERR(ns) ? PTR_ERR(ns) : devns_nl_reply_ns(info, ns);
out:
	mutex_unlock(&devns_mutex);
	return err;
}

static int devns_nl_destroy(struct sk_buff *skb, struct genl_info *info)
{
	struct devns *ns;
	int err;

	err = devns_nl_may_change(skb, info);
	if (err)
		return err;

	mutex_lock(&devns_mutex);
	ns = devns_nl_target(info);
	if (IS_ERR(ns)) {
		err = PTR_ERR(ns);
	} else if (devns_is_root(ns)) {
		NL_SET_ERR_MSG(info->extack,
			       "the root device namespace cannot be destroyed");
		err = -EINVAL;
	} else {
		devns_destroy(ns, DEVNS_REASON_REQUEST);
	}
	mutex_unlock(&devns_mutex);
	return err;
}

static int devns_nl_switch(struct sk_buff *skb, struct genl_info *info)
{
	struct devns *ns;
	int err;

	err = devns_nl_may_change(skb, info);
	if (err)
		return err;

	mutex_lock(&devns_mutex);
	ns = devns_nl_target(info);
	if (IS_ERR(ns))
		err = PTR_ERR(ns);
	else
		devns_switch(ns, DEVNS_REASON_REQUEST);
	mutex_unlock(&devns_mutex);
	return err;
}

static int devns_nl_set_tag(struct sk_buff *skb, struct genl_info *info)
{
	struct devns *ns;
	int err;

	err = devns_nl_may_change(skb, info);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, DEVNS_A_TAG)) {
		NL_SET_ERR_MSG(info->extack, "a tag is required");
		return -EINVAL;
	}

	mutex_lock(&devns_mutex);
	ns = devns_nl_target(info);
	err = IS_ERR(ns) ? PTR_ERR(ns) :
		devns_set_tag(ns, nla_data(info->attrs[DEVNS_A_TAG]),
			      info->extack);
	mutex_unlock(&devns_mutex);
	return err;
}

static int devns_nl_put_stats(struct sk_buff *skb)
{
	struct nlattr *stats, *sub;
	struct devns_subsys *ss;

	stats = nla_nest_start(skb, DEVNS_A_STATS);
	if (!stats ||
	    nla_put_u64_64bit(skb, DEVNS_STATS_A_SWITCHES, devns_stats.switches,
			      DEVNS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, DEVNS_STATS_A_LAST_NS, devns_stats.last_ns,
			      DEVNS_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, DEVNS_STATS_A_WORST_NS, devns_stats.worst_ns,
			      DEVNS_STATS_A_PAD))
		return -EMSGSIZE;
	list_for_each_entry(ss, &devns_subsys_list, node) {
		sub = nla_nest_start(skb, DEVNS_STATS_A_SUBSYS);
		if (!sub ||
		    nla_put_string(skb, DEVNS_SUBSYS_A_NAME, ss->name) ||
		    nla_put_u64_64bit(skb, DEVNS_SUBSYS_A_LAST_OUT_NS,
				      ss->last_out_ns, DEVNS_SUBSYS_A_PAD) ||
		    nla_put_u64_64bit(skb, DEVNS_SUBSYS_A_LAST_IN_NS,
				      ss->last_in_ns, DEVNS_SUBSYS_A_PAD) ||
		    nla_put_u64_64bit(skb, DEVNS_SUBSYS_A_WORST_NS,
				      ss->worst_ns, DEVNS_SUBSYS_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, sub);
	}
	nla_nest_end(skb, stats);
	return 0;
}

static int devns_nl_put_hotkeys(struct sk_buff *skb)
{
	const struct devns_hotkeys *table = devns_hotkeys_locked();
	const struct devns_hotkey *hk;
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; table && i < table->count; i++) {
		hk = &table->entry[i];
		nest = nla_nest_start(skb, DEVNS_A_HOTKEY);
		if (!nest ||
		    nla_put_u32(skb, DEVNS_HOTKEY_A_SLOT, hk->slot) ||
		    nla_put(skb, DEVNS_HOTKEY_A_KEYS,
			    hk->nkeys * sizeof(u16), hk->keys))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/*
 * A reply holding what @put adds, built under devns_mutex.  What it tells
 * (switches, the hotkey table) is the whole system's: for the root alone.
 */
static int devns_nl_reply(struct genl_info *info,
			  int (*put)(struct sk_buff *skb))
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	if (!devns_caller_in_root()) {
		NL_SET_ERR_MSG(info->extack,
			       "only the root device namespace may read this");
		return -EPERM;
	}
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &devns_family, 0,
				info->genlhdr->cmd);
	mutex_lock(&devns_mutex);
	err = hdr ? put(skb) : -EMSGSIZE;
	mutex_unlock(&devns_mutex);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int devns_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	return devns_nl_reply(info, devns_nl_put_stats);
}

static int devns_nl_get_hotkeys(struct sk_buff *skb, struct genl_info *info)
{
	return devns_nl_reply(info, devns_nl_put_hotkeys);
}

static int devns_nl_parse_hotkey(const struct nlattr *attr,
				 struct devns_hotkey *hk,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[DEVNS_HOTKEY_A_MAX + 1];
	unsigned int i, len;
	int err;

	err = nla_parse_nested(tb, DEVNS_HOTKEY_A_MAX, attr,
			       devns_hotkey_policy, extack);
	if (err)
		return err;
	if (!tb[DEVNS_HOTKEY_A_SLOT] || !tb[DEVNS_HOTKEY_A_KEYS]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a hotkey needs a slot and keys");
		return -EINVAL;
	}
	len = nla_len(tb[DEVNS_HOTKEY_A_KEYS]);
	if (!len || len % sizeof(u16)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DEVNS_HOTKEY_A_KEYS],
				    "keys must be 1 to 4 16-bit key codes");
		return -EINVAL;
	}
	hk->slot = nla_get_u32(tb[DEVNS_HOTKEY_A_SLOT]);
	hk->nkeys = len / sizeof(u16);
	memcpy(hk->keys, nla_data(tb[DEVNS_HOTKEY_A_KEYS]), len);
	for (i = 0; i < hk->nkeys; i++) {
		if (!hk->keys[i] || hk->keys[i] > KEY_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DEVNS_HOTKEY_A_KEYS],
					    "invalid key code");
			return -EINVAL;
		}
	}
	return 0;
}

/* Replaces the whole table: by the defaults, or by the HOTKEY attributes given. */
static int devns_nl_set_hotkeys(struct sk_buff *skb, struct genl_info *info)
{
	struct devns_hotkeys *table;
	const struct nlattr *attr;
	unsigned int count = 0;
	int err, rem;

	err = devns_nl_may_change(skb, info);
	if (err)
		return err;

	if (info->attrs[DEVNS_A_HOTKEYS_DEFAULT]) {
		if (info->attrs[DEVNS_A_HOTKEY]) {
			NL_SET_ERR_MSG(info->extack,
				       "give hotkeys or ask for the defaults, not both");
			return -EINVAL;
		}
		mutex_lock(&devns_mutex);
		err = devns_hotkeys_reset();
		mutex_unlock(&devns_mutex);
		return err;
	}

	table = kzalloc(struct_size(table, entry, DEVNS_HOTKEYS_MAX),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != DEVNS_A_HOTKEY)
			continue;
		if (count == DEVNS_HOTKEYS_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr, "too many hotkeys");
			err = -E2BIG;
			goto err_free;
		}
		err = devns_nl_parse_hotkey(attr, &table->entry[count++],
					    info->extack);
		if (err)
			goto err_free;
	}
	table->count = count;

	mutex_lock(&devns_mutex);
	devns_hotkeys_replace(table);
	mutex_unlock(&devns_mutex);
	return 0;

err_free:
	kfree(table);
	return err;
}

static const struct genl_ops devns_ops[] = {
	{
		.cmd	= DEVNS_CMD_GET,
		.doit	= devns_nl_get,
		.dumpit	= devns_nl_dump,
		.policy	= devns_ns_policy,
		.maxattr = ARRAY_SIZE(devns_ns_policy) - 1,
	},
	{
		.cmd	= DEVNS_CMD_CREATE,
		.doit	= devns_nl_create,
		.policy	= devns_ns_policy,
		.maxattr = ARRAY_SIZE(devns_ns_policy) - 1,
	},
	{
		.cmd	= DEVNS_CMD_DESTROY,
		.doit	= devns_nl_destroy,
		.policy	= devns_ns_policy,
		.maxattr = ARRAY_SIZE(devns_ns_policy) - 1,
	},
	{
		.cmd	= DEVNS_CMD_SWITCH,
		.doit	= devns_nl_switch,
		.policy	= devns_ns_policy,
		.maxattr = ARRAY_SIZE(devns_ns_policy) - 1,
	},
	{
		.cmd	= DEVNS_CMD_SET_TAG,
		.doit	= devns_nl_set_tag,
		.policy	= devns_ns_policy,
		.maxattr = ARRAY_SIZE(devns_ns_policy) - 1,
	},
	{
		.cmd	= DEVNS_CMD_GET_STATS,
		.doit	= devns_nl_get_stats,
	},
	{
		.cmd	= DEVNS_CMD_SET_HOTKEYS,
		.doit	= devns_nl_set_hotkeys,
		.policy	= devns_hotkeys_policy,
		.maxattr = DEVNS_A_MAX,
	},
	{
		.cmd	= DEVNS_CMD_GET_HOTKEYS,
		.doit	= devns_nl_get_hotkeys,
	},
};

static struct genl_family devns_family __ro_after_init = {
	.name		= DEVNS_GENL_NAME,
	.version	= DEVNS_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= true,
	.parallel_ops	= true,
	.ops		= devns_ops,
	.n_ops		= ARRAY_SIZE(devns_ops),
	.mcgrps		= devns_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(devns_mcgrps),
};

/*
 * Events go to listeners in the initial network namespace, where devnsd
 * runs; their pids are the initial pid namespace's.
 */
static struct sk_buff *devns_nl_event_new(u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&devns_family, &init_net, DEVNS_MCGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &devns_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void devns_nl_event_send(struct sk_buff *skb, void *hdr, bool failed)
{
	if (failed) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&devns_family, skb, 0, DEVNS_MCGRP_EVENTS,
			  GFP_KERNEL);
}

void devns_notify_new(struct devns *ns)
{
	void *hdr;
	struct sk_buff *skb = devns_nl_event_new(DEVNS_CMD_NEW, &hdr);

	if (skb)
		devns_nl_event_send(skb, hdr, devns_nl_put_ns(skb, ns,
						pid_nr(ns->init_pid)));
}

void devns_notify_del(struct devns *ns, enum devns_reason reason)
{
	void *hdr;
	struct sk_buff *skb = devns_nl_event_new(DEVNS_CMD_DEL, &hdr);

	if (skb)
		devns_nl_event_send(skb, hdr, devns_nl_put_ns(skb, ns,
						pid_nr(ns->init_pid)) ||
				    nla_put_u32(skb, DEVNS_A_REASON, reason));
}

void devns_notify_switch(struct devns *to, struct devns *from, u64 latency,
			 enum devns_reason reason)
{
	void *hdr;
	struct sk_buff *skb = devns_nl_event_new(DEVNS_CMD_SWITCHED, &hdr);

	if (skb)
		devns_nl_event_send(skb, hdr, devns_nl_put_ns(skb, to,
						pid_nr(to->init_pid)) ||
				    nla_put_u32(skb, DEVNS_A_PREV_ID, from->id) ||
				    nla_put_u64_64bit(skb, DEVNS_A_LATENCY_NS,
						      latency, DEVNS_A_PAD) ||
				    nla_put_u32(skb, DEVNS_A_REASON, reason));
}

void devns_notify_hotkey(u32 slot)
{
	void *hdr;
	struct sk_buff *skb = devns_nl_event_new(DEVNS_CMD_HOTKEY, &hdr);

	if (skb)
		devns_nl_event_send(skb, hdr,
				    nla_put_u32(skb, DEVNS_A_SLOT, slot));
}

int devns_netlink_init(void)
{
	return genl_register_family(&devns_family);
}

void devns_netlink_exit(void)
{
	genl_unregister_family(&devns_family);
}
