"""Notifications, digests and activity: how people hear about what happens in their spaces.

A plugin only declares event types (``register_events``) and calls :func:`placette.emit`; this
package does the rest, for every plugin alike:

* :mod:`.dispatch` -- the fan-out of a committed event to the people who may see it, and the
  immediate deliveries; the sweep that catches up after a crash;
* :mod:`.digests` -- daily and weekly digests, exactly once per person;
* :mod:`.channels` -- the channel interface (in-app and e-mail here, SMS from its plugin);
* :mod:`.queries` -- the inbox, the bell and the activity lists, filtered at reading time;
* :mod:`.web`, :mod:`.activity_web`, :mod:`.api`, :mod:`.slots` -- pages, feeds, API, blocks;
* :mod:`.links` -- signed one-click links (mute, unsubscribe) and absolute URLs.
"""
