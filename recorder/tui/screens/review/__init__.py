"""A visit under review: the countersign screen and the management oversight screen, on one
base that reads the record and says every refusal in words."""
