subdir-y += uart
