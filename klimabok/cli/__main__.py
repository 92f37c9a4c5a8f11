from klimabok.cli import main

main()
