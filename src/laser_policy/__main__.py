from laser_policy.cli import main

main()
