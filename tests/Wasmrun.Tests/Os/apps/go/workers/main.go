// A Go app for OS mode's tests: goroutines, channels, a WaitGroup, timers and a ticker, a relative file (the
// project is the working directory), /tmp, stderr and an exit status.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	jobs := make(chan int)
	results := make(chan string)
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			for n := range jobs {
				results <- fmt.Sprintf("%d^2=%d", n, n*n)
			}
		}(w)
	}
	go func() {
		for n := 1; n <= 6; n++ {
			jobs <- n
		}
		close(jobs)
	}()
	go func() { wg.Wait(); close(results) }()
	var squares []string
	for r := range results {
		squares = append(squares, r)
	}
	sort.Strings(squares)
	fmt.Println("squares:", strings.Join(squares, " "))

	order := make(chan string, 3)
	for _, d := range []int{30, 10, 20} {
		go func(ms int) {
			time.Sleep(time.Duration(ms) * time.Millisecond)
			order <- fmt.Sprint(ms)
		}(d)
	}
	fmt.Println("sleep order:", <-order, <-order, <-order)

	ticker := time.NewTicker(5 * time.Millisecond)
	ticks := 0
	timeout := time.After(200 * time.Millisecond)
loop:
	for {
		select {
		case <-ticker.C:
			ticks++
			if ticks == 3 {
				break loop
			}
		case <-timeout:
			break loop
		}
	}
	ticker.Stop()
	fmt.Println("ticks:", ticks)

	data, err := os.ReadFile("input.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, "read:", err)
		os.Exit(1)
	}
	fmt.Println("input:", strings.TrimSpace(string(data)))
	if err := os.WriteFile("/tmp/go.txt", []byte("tmp"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "write:", err)
		os.Exit(1)
	}
	back, _ := os.ReadFile("/tmp/go.txt")
	wd, _ := os.Getwd()
	fmt.Println("tmp:", string(back), "wd:", wd, "args:", os.Args[1:])
	fmt.Fprintln(os.Stderr, "done")
	os.Exit(5)
}
