RETORT_REVISION(.revision = "a", .message = kMessage)
