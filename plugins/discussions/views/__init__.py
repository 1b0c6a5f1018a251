"""The discussions' pages (without JavaScript: forms post and redirect to the comment's anchor)."""
