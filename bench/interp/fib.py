# fib: naive doubly recursive Fibonacci, fib(30) = 832040 (1,664,079 calls).
# Measures function calls, argument passing and small-int arithmetic.
# fib.weft and fib.py are the same program (the .py adds main([])); fib.lua the same algorithm.

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main(args):
    print("fib", 30, fib(30))


import sys; main(sys.argv[1:])
