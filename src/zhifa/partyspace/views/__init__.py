"""The party's pages (``party``) and the officers' desk (``desk``)."""
