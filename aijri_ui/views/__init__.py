"""The pages' code: each module has ``render()``; app_pages/<page>.py only calls it."""
