// A desktop's two session-bus services, as a panel and a notification daemon provide them, for
// the real-window tests (Xvfb has neither): an org.kde.StatusNotifierWatcher that tray icons
// register with (libayatana-appindicator, which Tauri's tray uses on Linux), a client of the
// registered item's com.canonical.dbusmenu menu that reads and clicks it the way a panel does,
// and an org.freedesktop.Notifications server that records every Notify call. Start them before
// the app, on the session bus it uses (DBUS_SESSION_BUS_ADDRESS, from scripts/session.sh).
// Specifications: https://www.freedesktop.org/wiki/Specifications/StatusNotifierItem/,
// https://specifications.freedesktop.org/notification-spec/ and libdbusmenu's dbus-menu.xml.
import { EventEmitter } from "node:events";
import { readlinkSync } from "node:fs";
// dbus-next (pure JavaScript) as JellyBrick keeps it: 0.10 has current dependencies. (Its 0.11.3
// breaks Interface.configureMembers: the constructor shadows the members it sets with undefined.)
import dbus from "@jellybrick/dbus-next";

const { NameFlag, RequestNameReply, sessionBus, Variant } = dbus;
const { Interface, ACCESS_READ } = dbus.interface;

const WATCHER = "org.kde.StatusNotifierWatcher";
const ITEM = "org.kde.StatusNotifierItem";
const NOTIFICATIONS = "org.freedesktop.Notifications";
const DBUSMENU = "com.canonical.dbusmenu";

/** The StatusNotifierWatcher: items register here; it says a host (a panel) is there. */
class Watcher extends Interface {
  constructor(bus) {
    super(WATCHER);
    this.bus = bus;
    /** Registered items: { service: "NAME/PATH" as the specification lists it, name, path }. */
    this.items = [];
    this.events = new EventEmitter();
    /** The sender of the method call being handled (set by the bus's method handler). */
    this.caller = null;
  }
  get RegisteredStatusNotifierItems() {
    return this.items.map((i) => i.service);
  }
  get IsStatusNotifierHostRegistered() {
    return true;
  }
  get ProtocolVersion() {
    return 0;
  }
  RegisterStatusNotifierItem(service) {
    // libayatana-appindicator passes its object path; KDE's items pass a bus name.
    const name = service.startsWith("/") ? this.caller : service;
    const path = service.startsWith("/") ? service : "/StatusNotifierItem";
    const item = { service: `${name}${path}`, name, path };
    if (!this.items.some((i) => i.service === item.service)) {
      this.items.push(item);
      this.StatusNotifierItemRegistered(item.service);
      this.events.emit("registered", item);
    }
  }
  RegisterStatusNotifierHost(_service) {
    this.StatusNotifierHostRegistered();
  }
  /** The item's bus name left the bus (its process ended). */
  dropOwner(name) {
    for (const item of this.items.filter((i) => i.name === name)) {
      this.items.splice(this.items.indexOf(item), 1);
      this.StatusNotifierItemUnregistered(item.service);
      this.events.emit("unregistered", item);
    }
  }
  StatusNotifierItemRegistered(service) {
    return service;
  }
  StatusNotifierItemUnregistered(service) {
    return service;
  }
  StatusNotifierHostRegistered() {}
  StatusNotifierHostUnregistered() {}
}
Watcher.configureMembers({
  properties: {
    RegisteredStatusNotifierItems: { signature: "as", access: ACCESS_READ },
    IsStatusNotifierHostRegistered: { signature: "b", access: ACCESS_READ },
    ProtocolVersion: { signature: "i", access: ACCESS_READ },
  },
  methods: {
    RegisterStatusNotifierItem: { inSignature: "s", outSignature: "" },
    RegisterStatusNotifierHost: { inSignature: "s", outSignature: "" },
  },
  signals: {
    StatusNotifierItemRegistered: { signature: "s" },
    StatusNotifierItemUnregistered: { signature: "s" },
    StatusNotifierHostRegistered: { signature: "" },
    StatusNotifierHostUnregistered: { signature: "" },
  },
});

/** A notification daemon that shows nothing and records every Notify call. */
class Notifications extends Interface {
  constructor() {
    super(NOTIFICATIONS);
    /** { id, appName, replacesId, icon, summary, body, actions, hints, expireTimeout, sender, at } */
    this.received = [];
    this.events = new EventEmitter();
    this.caller = null;
    this.nextId = 1;
  }
  Notify(appName, replacesId, icon, summary, body, actions, hints, expireTimeout) {
    const id = replacesId || this.nextId++;
    const call = { id, appName, replacesId, icon, summary, body, actions, hints, expireTimeout };
    Object.assign(call, { sender: this.caller, at: Date.now() });
    this.received.push(call);
    this.events.emit("notify", call);
    return id;
  }
  CloseNotification(id) {
    // 3: closed by a call to CloseNotification.
    this.NotificationClosed(id, 3);
  }
  GetCapabilities() {
    return ["body", "actions"];
  }
  GetServerInformation() {
    return ["amorphic-su-e2e", "Amorphic Service Users tests", "1.0", "1.2"];
  }
  NotificationClosed(id, reason) {
    return [id, reason];
  }
  ActionInvoked(id, actionKey) {
    return [id, actionKey];
  }
}
Notifications.configureMembers({
  methods: {
    Notify: { inSignature: "susssasa{sv}i", outSignature: "u" },
    CloseNotification: { inSignature: "u", outSignature: "" },
    GetCapabilities: { inSignature: "", outSignature: "as" },
    GetServerInformation: { inSignature: "", outSignature: "ssss" },
  },
  signals: {
    NotificationClosed: { signature: "uu" },
    ActionInvoked: { signature: "us" },
  },
});

/** Resolves when `pick()` returns a value (checked now and on each `event`), or rejects after `timeout`. */
function waitFor(emitter, event, pick, timeout, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = pick();
      if (found === undefined || found === null || found === false) return;
      clearTimeout(timer);
      emitter.off(event, check);
      resolve(found);
    };
    const timer = setTimeout(() => {
      emitter.off(event, check);
      reject(new Error(`${what}: nothing within ${timeout} ms`));
    }, timeout);
    emitter.on(event, check);
    check();
  });
}

/** A panel's label for a dbusmenu label: "_" marks a mnemonic, "__" is an underscore. */
export function shownLabel(label) {
  return (label ?? "").replace(/__|_/g, (m) => (m === "__" ? "_" : ""));
}

/** The dbusmenu layout ((ia{sv}av)) as { id, label, enabled, visible, type, children }. */
function parseLayout([id, props, children]) {
  const get = (k, dflt) => (k in props ? props[k].value : dflt);
  return {
    id,
    label: shownLabel(get("label", "")),
    type: get("type", "standard"),
    enabled: get("enabled", true),
    visible: get("visible", true),
    submenu: get("children-display", "") === "submenu",
    children: children.map((c) => parseLayout(c.value)),
  };
}

/** The registered item's menu, read and clicked over com.canonical.dbusmenu. */
export class TrayMenu {
  constructor(bus, item, menuPath, dbusmenu) {
    this.bus = bus;
    this.item = item;
    this.path = menuPath;
    this.dbusmenu = dbusmenu;
    /** Each LayoutUpdated signal: { revision, parent, at }. */
    this.updates = [];
    this.events = new EventEmitter();
    dbusmenu.on("LayoutUpdated", (revision, parent) => {
      this.updates.push({ revision, parent, at: Date.now() });
      this.events.emit("layout");
    });
  }

  /** The whole menu, as a panel reads it when it opens (AboutToShow, then GetLayout). */
  async layout() {
    await this.dbusmenu.AboutToShow(0).catch(() => {});
    const [, root] = await this.dbusmenu.GetLayout(0, -1, []);
    return parseLayout(root);
  }

  /** The visible items of the top level, separators as "---". */
  async entries() {
    const root = await this.layout();
    return root.children
      .filter((c) => c.visible)
      .map((c) => (c.type === "separator" ? { ...c, label: "---" } : c));
  }

  /** Clicks an item (by its id in the menu), as a panel does when the user picks it. */
  async click(id) {
    const now = Math.floor(Date.now() / 1000) >>> 0;
    await this.dbusmenu.Event(id, "clicked", new Variant("i", 0), now);
  }
}

/**
 * Starts the watcher and the notification server on the session bus. Returns
 * { bus, watcher, notifications, tray(timeout), close() }.
 */
export async function startDesktop() {
  const bus = sessionBus();
  const watcher = new Watcher(bus);
  const notifications = new Notifications();
  // The caller of a method is not passed to the method itself: note it first.
  bus.addMethodHandler((msg) => {
    if (msg.interface === WATCHER) watcher.caller = msg.sender;
    if (msg.interface === NOTIFICATIONS) notifications.caller = msg.sender;
    return false;
  });
  bus.export("/StatusNotifierWatcher", watcher);
  bus.export("/org/freedesktop/Notifications", notifications);
  for (const name of [WATCHER, NOTIFICATIONS]) {
    const reply = await bus.requestName(name, NameFlag.DO_NOT_QUEUE);
    if (reply !== RequestNameReply.PRIMARY_OWNER) {
      bus.disconnect();
      throw new Error(`${name} already has an owner on this session bus (a real desktop's?)`);
    }
  }
  const dbus = (await bus.getProxyObject("org.freedesktop.DBus", "/org/freedesktop/DBus")).getInterface(
    "org.freedesktop.DBus",
  );
  dbus.on("NameOwnerChanged", (name, _old, owner) => {
    if (owner === "") watcher.dropOwner(name);
  });

  return {
    bus,
    watcher,
    notifications,

    /** The process id of a bus connection (a unique name like ":1.42"). */
    async pidOf(name) {
      return dbus.GetConnectionUnixProcessID(name);
    },

    /** The executable of a bus connection's process. */
    async exeOf(name) {
      return readlinkSync(`/proc/${await this.pidOf(name)}/exe`);
    },

    /** The first item that registers (or has), once it exports its properties and menu. */
    async tray(timeout) {
      const item = await waitFor(
        watcher.events,
        "registered",
        () => watcher.items[0],
        timeout,
        "no tray item registered",
      );
      const obj = await bus.getProxyObject(item.name, item.path);
      const props = obj.getInterface("org.freedesktop.DBus.Properties");
      const all = await props.GetAll(ITEM);
      const properties = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.value]));
      const menuObj = await bus.getProxyObject(item.name, properties.Menu);
      return {
        item,
        properties,
        menu: new TrayMenu(bus, item, properties.Menu, menuObj.getInterface(DBUSMENU)),
      };
    },

    /** Waits for a notification that `match` accepts. */
    notified(match, timeout) {
      return waitFor(
        notifications.events,
        "notify",
        () => notifications.received.find(match),
        timeout,
        "no matching notification",
      );
    },

    /** Waits until the item leaves the watcher (its process ended). */
    unregistered(item, timeout) {
      return waitFor(
        watcher.events,
        "unregistered",
        () => !watcher.items.includes(item),
        timeout,
        "the tray item stayed registered",
      );
    },

    close() {
      bus.disconnect();
    },
  };
}

/** Waits for `events` to emit `event` (once), or rejects after `timeout`. */
export function nextEvent(events, event, timeout, what) {
  let fired = false;
  const mark = () => {
    fired = true;
  };
  events.once(event, mark);
  return waitFor(events, event, () => fired, timeout, what).finally(() => events.off(event, mark));
}
