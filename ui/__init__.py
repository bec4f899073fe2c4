"""aiogram types only, no database: callback data, keyboards and the replies' plumbing."""
