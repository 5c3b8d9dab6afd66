"""Publishing: write the disclosure-controlled export relations as files BI tools read."""
