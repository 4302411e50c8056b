from kehoach.cli import main

main()
