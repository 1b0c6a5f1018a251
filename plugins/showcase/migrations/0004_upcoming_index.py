# Written by hand: the window's "what is next" (shown meetings still to come, soonest first) read
# every shown item through the (state, updated_at) index and sorted the meetings, some 1 ms for a
# medium city's 1,440 items at every render; an index on (state, category, decided_at) reads the
# five it shows.


def up(migrator, db):
    migrator.migrate(migrator.add_index("showcase_item", ("state", "category", "decided_at"),
                                        False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("showcase_item",
                                         "showcase_item_state_category_decided_at"))
