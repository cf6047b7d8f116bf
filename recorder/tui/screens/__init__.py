"""The app's screens: sign-in, home, and the help dialog."""
