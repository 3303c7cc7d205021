terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

resource "aws_sns_topic" "alarms" {
  provider = aws.region-master
  name     = "alarms"
}
