"""Staff accounts: a second factor for everyone who can enter /admin/, and the login lockout around it."""
