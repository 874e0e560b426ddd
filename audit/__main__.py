"""`python -m audit` = the `audit` command."""
from audit.cli import main

if __name__ == "__main__":
    main(prog_name="audit")
