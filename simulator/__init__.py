"""A fake AFAS Profit tenant over real HTTP, with every known quirk as a switch."""
