def make_table_name(class_name):
    return "t_" + class_name.lower()
