root = true
