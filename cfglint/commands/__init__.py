"""Commands that live in modules of their own (``cfglint.cli`` registers each one), and
:mod:`cfglint.commands.common`, what every command shares."""
