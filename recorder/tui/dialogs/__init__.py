"""Dialogs: modal screens that ask for something (a password, comments, reasons) and
return it, or run the one service call they exist for. Screens open them directly."""
