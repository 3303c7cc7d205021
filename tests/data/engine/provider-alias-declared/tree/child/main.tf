terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.region-master]
    }
  }
}

resource "aws_sns_topic" "alarms" {
  provider = aws.region-master
  name     = "alarms"
}
