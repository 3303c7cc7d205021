name = "inside-directory"
