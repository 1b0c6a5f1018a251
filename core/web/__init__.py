"""Server-rendered pages.  Each module is one blueprint with one job."""
