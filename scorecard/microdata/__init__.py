"""Person records (issue 17): schemas, import, id checking and hashing, derived measures."""
