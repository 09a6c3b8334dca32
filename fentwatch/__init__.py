"""fentwatch's command line: one short function per `fentwatch` command, calling the room that does the work.
The only room that may import every other one."""
