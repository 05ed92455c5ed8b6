"""An emulator of the Docs v1 and Drive v3 subset Docket uses, faithful where Google is documented."""
