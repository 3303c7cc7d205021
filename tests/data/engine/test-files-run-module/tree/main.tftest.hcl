provider "google" {
  project = "x"
}

run "plan" {
  command = plan
}
