print("o2c")
