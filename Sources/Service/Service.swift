// Placeholder so the target builds before its code lands; delete when the first real file arrives.
enum _ServicePlaceholder {}
