"""Tasks the queue could not take: kept in the database until it answers again.

A write commits, then queues its follow-up work (a mail, a thumbnail, a notification).  If the
queue's Redis is restarting at that moment, refusing the request would be wrong -- the write is
already stored, and a person told "try again" would store it twice -- and dropping the task
would lose the mail.  So :meth:`placette.tasks.TaskQueue.enqueue` keeps the task here, and the
periodic ``placette.tasks.resend`` hands it to the queue as soon as the queue answers.
"""
from __future__ import annotations

from peewee import CharField, DateTimeField

from ..db import KernelModel, utcnow
from .fields import JsonField


class PendingTask(KernelModel):
    name = CharField(max_length=200)
    payload = JsonField(default=dict)  # {"args": [...], "kwargs": {...}}
    eta = DateTimeField(null=True)  # UTC, for a task queued with a delay
    created_at = DateTimeField(default=utcnow, index=True)
